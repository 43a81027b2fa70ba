// Feedback on a visit that took place and on a decided joint mediation
// (拘调融合 — 服务完成后意见反馈): the family rates each once. The server
// says what the caller already gave (my_feedback on the booking and the
// joint mediation), so the app shows that instead of the form after a
// reload or on another phone; a 409 ("already given") shows 已评价 without
// stars.
import type { Schemas } from '@tiaojie/shared/api'
import { fieldErrors, toProblem, type Problem } from '@tiaojie/shared/problem'

export type Given = { stars: number; comment: string } | 'given'

/** What is rated: a visit (booking) or a joint mediation. */
export type FeedbackKind = 'visit' | 'joint'

/** givenOf reads the server's my_feedback: the caller's own rating, if any. */
export function givenOf(fb: Pick<Schemas['Feedback'], 'stars' | 'comment'> | null | undefined): Given | undefined {
  return fb ? { stars: fb.stars, comment: fb.comment } : undefined
}

/** canRate: only a visit that took place is rated. */
export const canRate = (b: Pick<Schemas['VisitBooking'], 'status'>) => b.status === 'attended'

/** canRateJoint: a joint mediation is rated once it is decided (agreed or failed). */
export const canRateJoint = (j: Pick<Schemas['FamilyJointMediation'], 'state'>) => j.state !== 'consulting'

/** jointStateLabels name a joint mediation's state for the family. */
export const jointStateLabels: Record<Schemas['FamilyJointMediation']['state'], string> = {
  consulting: '会商中',
  agreed: '调解成功',
  failed: '调解未成',
}

export type Outcome =
  | { kind: 'given'; given: Given }
  | { kind: 'fields'; errors: Record<string, string>; problem: Problem }
  | { kind: 'problem'; problem: Problem }

/** outcomeOf reads the server's answer to a feedback: the feedback itself,
 * a conflict (already given), field errors, or another problem. */
export function outcomeOf(data: Schemas['Feedback'] | undefined, error: unknown, status: number): Outcome {
  if (data) return { kind: 'given', given: { stars: data.stars, comment: data.comment } }
  const problem = toProblem(error)
  if (problem.code === 'feedback.already_given' || (status === 409 && problem.status === 0)) return { kind: 'given', given: 'given' }
  const errors = fieldErrors(problem)
  if (Object.keys(errors).length) return { kind: 'fields', errors, problem }
  return { kind: 'problem', problem }
}
