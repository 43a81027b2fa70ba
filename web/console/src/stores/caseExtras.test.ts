import { describe, expect, it } from 'vitest'
import { followUpBody, tagSuggestions } from './caseExtras'

describe('case tags', () => {
  it('suggest the vocabulary the case does not have yet, once each', () => {
    const vocabulary = [{ name: '欠薪' }, { name: '家暴史' }, { name: '欠薪' }, { name: '邻里' }]
    expect(tagSuggestions(vocabulary, ['家暴史'])).toEqual(['欠薪', '邻里'])
  })
})

describe('return visit', () => {
  it('sends the satisfaction heard when the citizen answered', () => {
    expect(followUpBody({ answered: true, stars: 4, channel: 'phone', comment: ' 满意 ', note: '电话回访' })).toEqual({
      action: 'follow_up',
      note: '电话回访',
      satisfaction: { stars: 4, channel: 'phone', comment: '满意' },
    })
  })

  it('sends no satisfaction when nobody answered (the API refuses an empty one)', () => {
    expect(followUpBody({ answered: false, stars: 5, channel: 'visit', comment: '', note: '无人接听' })).toEqual({ action: 'follow_up', note: '无人接听' })
  })
})
