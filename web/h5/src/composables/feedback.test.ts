import { describe, expect, it } from 'vitest'
import { canRate, givenFeedback, outcomeOf, rememberFeedback } from './feedback'

function memory() {
  const m = new Map<string, string>()
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) }
}
const problem = (o: Record<string, unknown>) => ({ type: 'about:blank', title: 't', status: 422, detail: '', code: 'validation', message: '请求有误', request_id: 'r1', ...o })

describe('visit feedback', () => {
  it('rates only a visit that took place', () => {
    expect(canRate({ status: 'attended' })).toBe(true)
    for (const s of ['pending', 'approved', 'refused', 'cancelled', 'no_show'] as const) expect(canRate({ status: s })).toBe(false)
  })

  it('remembers what was given per booking, and survives a broken store', () => {
    const s = memory()
    expect(givenFeedback(3, s)).toBeUndefined()
    rememberFeedback(3, { stars: 4, comment: '很好' }, s)
    rememberFeedback(5, 'given', s)
    expect(givenFeedback(3, s)).toEqual({ stars: 4, comment: '很好' })
    expect(givenFeedback(5, s)).toBe('given')
    s.setItem('tiaojie.h5.visitFeedback', '{not json')
    expect(givenFeedback(3, s)).toBeUndefined()
  })

  it("reads the server's answer: the feedback, already given, field errors, another problem", () => {
    const fb = { id: 1, centre_id: 2, subject_type: 'visit_booking' as const, subject_id: 3, stars: 5, comment: '方便', created_at: '2026-12-01T00:00:00Z' }
    expect(outcomeOf(fb, undefined, 201)).toEqual({ kind: 'given', given: { stars: 5, comment: '方便' } })
    expect(outcomeOf(undefined, problem({ status: 409, code: 'feedback.already_given', message: '您已对此提交过评价' }), 409)).toEqual({ kind: 'given', given: 'given' })
    const f = outcomeOf(undefined, problem({ errors: [{ field: 'comment', code: 'too_long', message: '评语不能超过 500 字' }] }), 422)
    expect(f.kind).toBe('fields')
    expect(f.kind === 'fields' && f.errors).toEqual({ comment: '评语不能超过 500 字' })
    const p = outcomeOf(undefined, problem({ status: 412, code: 'feedback.not_finished', message: '会见或联调结束后才能评价' }), 412)
    expect(p.kind === 'problem' && p.problem.message).toBe('会见或联调结束后才能评价')
  })
})
