import { describe, expect, it } from 'vitest'
import { idCheckChar, idNumberProblem } from './idcard'

describe('ID numbers', () => {
  it('computes the check character (GB 11643)', () => {
    expect(idCheckChar('11010519491231002')).toBe('X')
    expect(idCheckChar('44052418800101001')).toBe('4')
  })
  it('accepts right numbers, lower-case x too', () => {
    expect(idNumberProblem('11010519491231002X')).toBe('')
    expect(idNumberProblem('11010519491231002x')).toBe('')
    expect(idNumberProblem(' 440524188001010014 ')).toBe('')
  })
  it('says what is wrong', () => {
    expect(idNumberProblem('')).toBe('请填写身份证号')
    expect(idNumberProblem('1234')).toContain('18 位')
    expect(idNumberProblem('110105194913310021')).toContain('出生日期')
    expect(idNumberProblem('110105194912310021')).toContain('校验位')
  })
})
