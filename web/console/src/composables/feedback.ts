// Feedback on the detention desk (拘调融合): the period the centre's figures
// cover, how a tally reads, and what the server's answer to a partner's
// rating means (the feedback, already given, field errors, another problem).
import type { Schemas } from '@tiaojie/shared/api'
import { fieldErrors, toProblem, type Problem } from '@tiaojie/shared/problem'

export type Period = 'week' | 'month' | 'days30' | 'year'
export type Tally = Schemas['FeedbackTally']

/** periodRange is [from, to) of a named period ending now, in the browser's days. */
export function periodRange(p: Period, now = new Date()): [Date, Date] {
  const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate())
  switch (p) {
    case 'week':
      return [startOfDay(new Date(now.getTime() - 6 * 86400_000)), now]
    case 'days30':
      return [startOfDay(new Date(now.getTime() - 29 * 86400_000)), now]
    case 'year':
      return [new Date(now.getFullYear(), 0, 1), now]
    default:
      return [new Date(now.getFullYear(), now.getMonth(), 1), now]
  }
}

/** dayRange turns a picked [first day, last day] into [from, to): to is the day after the last. */
export function dayRange(first: Date, last: Date): [Date, Date] {
  return [new Date(first.getFullYear(), first.getMonth(), first.getDate()), new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1)]
}

/** averageText shows a tally's mean stars with one decimal, or a dash without feedback. */
export function averageText(t: Tally | null | undefined): string {
  if (!t || t.count === 0) return '—'
  return t.average.toFixed(1)
}

/** canGiveJointFeedback: a partner unit's staff rate a joint mediation once it is decided. */
export function canGiveJointFeedback(j: Pick<Schemas['JointMediation'], 'state' | 'partner_unit_ids'>, me: { roles: readonly string[]; orgId: number | null | undefined }) {
  return j.state !== 'consulting' && me.roles.includes('partner') && !!me.orgId && j.partner_unit_ids.includes(me.orgId)
}

export type Given = { stars: number; comment: string } | 'given'

/** givenOf reads the server's my_feedback (the caller's own rating), so a
 * rated joint mediation shows the rating instead of the form after a reload. */
export function givenOf(fb: Pick<Schemas['Feedback'], 'stars' | 'comment'> | null | undefined): Given | null {
  return fb ? { stars: fb.stars, comment: fb.comment } : null
}
export type Outcome = { kind: 'given'; given: Given } | { kind: 'fields'; errors: Record<string, string>; problem: Problem } | { kind: 'problem'; problem: Problem }

/** outcomeOf reads the answer to a feedback call. */
export function outcomeOf(data: Schemas['Feedback'] | undefined, error: unknown): Outcome {
  if (data) return { kind: 'given', given: { stars: data.stars, comment: data.comment } }
  const problem = toProblem(error)
  if (problem.code === 'feedback.already_given') return { kind: 'given', given: 'given' }
  const errors = fieldErrors(problem)
  if (Object.keys(errors).length) return { kind: 'fields', errors, problem }
  return { kind: 'problem', problem }
}
