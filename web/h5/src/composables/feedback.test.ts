import { describe, expect, it } from 'vitest'
import { canRate, canRateJoint, givenOf, jointStateLabels, outcomeOf } from './feedback'

const problem = (o: Record<string, unknown>) => ({ type: 'about:blank', title: 't', status: 422, detail: '', code: 'validation', message: '请求有误', request_id: 'r1', ...o })
const fb = { id: 1, centre_id: 2, subject_type: 'visit_booking' as const, subject_id: 3, stars: 5, comment: '方便', created_at: '2026-12-01T00:00:00Z' }

describe('feedback', () => {
  it('rates only a visit that took place', () => {
    expect(canRate({ status: 'attended' })).toBe(true)
    for (const s of ['pending', 'approved', 'refused', 'cancelled', 'no_show'] as const) expect(canRate({ status: s })).toBe(false)
  })

  it('rates a joint mediation once decided, either way', () => {
    expect(canRateJoint({ state: 'consulting' })).toBe(false)
    expect(canRateJoint({ state: 'agreed' })).toBe(true)
    expect(canRateJoint({ state: 'failed' })).toBe(true)
    expect(Object.keys(jointStateLabels).sort()).toEqual(['agreed', 'consulting', 'failed'])
  })

  it("takes what was given from the server's my_feedback, nothing when null or absent", () => {
    expect(givenOf(fb)).toEqual({ stars: 5, comment: '方便' })
    expect(givenOf({ ...fb, comment: '' })).toEqual({ stars: 5, comment: '' })
    expect(givenOf(null)).toBeUndefined()
    expect(givenOf(undefined)).toBeUndefined()
  })

  it("reads the server's answer: the feedback, already given, field errors, another problem", () => {
    expect(outcomeOf(fb, undefined, 201)).toEqual({ kind: 'given', given: { stars: 5, comment: '方便' } })
    expect(outcomeOf(undefined, problem({ status: 409, code: 'feedback.already_given', message: '您已对此提交过评价' }), 409)).toEqual({ kind: 'given', given: 'given' })
    const f = outcomeOf(undefined, problem({ errors: [{ field: 'comment', code: 'too_long', message: '评语不能超过 500 字' }] }), 422)
    expect(f.kind).toBe('fields')
    expect(f.kind === 'fields' && f.errors).toEqual({ comment: '评语不能超过 500 字' })
    const p = outcomeOf(undefined, problem({ status: 412, code: 'feedback.not_finished', message: '会见或联调结束后才能评价' }), 412)
    expect(p.kind === 'problem' && p.problem.message).toBe('会见或联调结束后才能评价')
  })
})
