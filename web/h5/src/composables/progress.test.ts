import { describe, expect, it } from 'vitest'
import { canRate, canWithdraw, progressOf } from './progress'

describe('progress steps', () => {
  it('follows the usual path', () => {
    expect(progressOf('filed')).toEqual({ steps: ['已提交', '已受理', '已分派', '调解中', '调解结果', '已办结'], active: 0, stopped: false })
    expect(progressOf('screened').active).toBe(1)
    expect(progressOf('in_mediation').active).toBe(3)
    expect(progressOf('closed').active).toBe(5)
    expect(progressOf('followed_up').active).toBe(5)
  })
  it('names the outcome step', () => {
    const p = progressOf('agreed')
    expect(p.steps[4]).toBe('调解成功')
    expect(p.active).toBe(4)
    expect(progressOf('failed')).toMatchObject({ active: 4, stopped: true })
    expect(progressOf('referred_to_litigation').steps[4]).toBe('转诉讼')
  })
  it('ends early for rejected and withdrawn requests', () => {
    expect(progressOf('rejected')).toEqual({ steps: ['已提交', '不予受理'], active: 1, stopped: true })
    expect(progressOf('withdrawn').steps[1]).toBe('已撤回')
  })
  it('says when withdrawing and rating are possible', () => {
    expect(canWithdraw('filed')).toBe(true)
    expect(canWithdraw('in_mediation')).toBe(true)
    expect(canWithdraw('agreed')).toBe(false)
    expect(canRate({ status: 'closed', rating: null })).toBe(true)
    expect(canRate({ status: 'closed', rating: { stars: 5 } })).toBe(false)
    expect(canRate({ status: 'agreed' })).toBe(false)
  })
})
