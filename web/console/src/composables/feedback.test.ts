import { describe, expect, it } from 'vitest'
import { averageText, canGiveJointFeedback, dayRange, givenOf, outcomeOf, periodRange } from './feedback'

const problem = (o: Record<string, unknown>) => ({ type: 'about:blank', title: 't', status: 422, detail: '', code: 'validation', message: '请求有误', request_id: 'r1', ...o })

describe('feedback figures', () => {
  const now = new Date(2026, 11, 15, 10, 30) // 15 Dec 2026, local time

  it('names periods that end now', () => {
    expect(periodRange('month', now)).toEqual([new Date(2026, 11, 1), now])
    expect(periodRange('week', now)).toEqual([new Date(2026, 11, 9), now])
    expect(periodRange('days30', now)).toEqual([new Date(2026, 10, 16), now])
    expect(periodRange('year', now)).toEqual([new Date(2026, 0, 1), now])
  })

  it('a picked range runs to the end of its last day', () => {
    expect(dayRange(new Date(2026, 10, 30, 9), new Date(2026, 11, 31, 18))).toEqual([new Date(2026, 10, 30), new Date(2027, 0, 1)])
  })

  it('reads a tally', () => {
    expect(averageText({ count: 0, average: 0 })).toBe('—')
    expect(averageText({ count: 3, average: 4.333 })).toBe('4.3')
    expect(averageText(null)).toBe('—')
  })
})

describe('joint feedback', () => {
  const j = { state: 'agreed' as const, partner_unit_ids: [7, 8] }
  it('is for the invited units once decided', () => {
    expect(canGiveJointFeedback(j, { roles: ['partner'], orgId: 7 })).toBe(true)
    expect(canGiveJointFeedback({ ...j, state: 'failed' }, { roles: ['partner'], orgId: 8 })).toBe(true)
    expect(canGiveJointFeedback({ ...j, state: 'consulting' }, { roles: ['partner'], orgId: 7 })).toBe(false)
    expect(canGiveJointFeedback(j, { roles: ['partner'], orgId: 9 })).toBe(false)
    expect(canGiveJointFeedback(j, { roles: ['detention_staff'], orgId: 7 })).toBe(false)
    expect(canGiveJointFeedback(j, { roles: ['partner'], orgId: null })).toBe(false)
  })

  it("shows the caller's own rating from the server's my_feedback, the form without one", () => {
    const fb = { id: 1, centre_id: 2, subject_type: 'joint_mediation' as const, subject_id: 3, stars: 4, comment: '及时', created_at: '2026-12-01T00:00:00Z' }
    expect(givenOf(fb)).toEqual({ stars: 4, comment: '及时' })
    expect(givenOf(null)).toBeNull()
    expect(givenOf(undefined)).toBeNull()
  })

  it("reads the server's answer", () => {
    const fb = { id: 1, centre_id: 2, subject_type: 'joint_mediation' as const, subject_id: 3, stars: 4, comment: '及时', created_at: '2026-12-01T00:00:00Z' }
    expect(outcomeOf(fb, undefined)).toEqual({ kind: 'given', given: { stars: 4, comment: '及时' } })
    expect(outcomeOf(undefined, problem({ status: 409, code: 'feedback.already_given' }))).toEqual({ kind: 'given', given: 'given' })
    const f = outcomeOf(undefined, problem({ errors: [{ field: 'stars', code: 'out_of_range', message: '评分为 1–5 星' }] }))
    expect(f.kind === 'fields' && f.errors).toEqual({ stars: '评分为 1–5 星' })
    expect(outcomeOf(undefined, new Error('x')).kind).toBe('problem')
  })
})
