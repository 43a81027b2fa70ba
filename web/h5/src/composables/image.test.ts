import { describe, expect, it } from 'vitest'
import { fitWithin, jpegName } from './image'

describe('photo compression sizes', () => {
  it('keeps small photos and shrinks large ones by the longer side', () => {
    expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(4032, 3024, 1600)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3024, 4032, 1600)).toEqual({ width: 1200, height: 1600 })
  })
  it('names the result .jpg', () => {
    expect(jpegName('IMG_0001.PNG')).toBe('IMG_0001.jpg')
    expect(jpegName('漏水')).toBe('漏水.jpg')
  })
})
