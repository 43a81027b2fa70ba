// Feedback on a visit that took place (拘调融合 — 服务完成后意见反馈): the
// family rates it once. The booking does not say whether it was rated, so
// the app remembers what this phone gave (localStorage), and a 409 from the
// server ("already given") is remembered as 已评价 without stars.
import type { Schemas } from '@tiaojie/shared/api'
import { fieldErrors, toProblem, type Problem } from '@tiaojie/shared/problem'

export type Given = { stars: number; comment: string } | 'given'

const KEY = 'tiaojie.h5.visitFeedback'

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>

function read(store: Storage): Record<string, Given> {
  try {
    const v = JSON.parse(store.getItem(KEY) ?? '{}')
    return v && typeof v === 'object' ? v : {}
  } catch {
    return {}
  }
}

/** givenFeedback answers what this phone knows was given on a booking, if anything. */
export function givenFeedback(id: number, store: Storage = localStorage): Given | undefined {
  return read(store)[String(id)]
}

/** rememberFeedback keeps what was given on a booking. */
export function rememberFeedback(id: number, g: Given, store: Storage = localStorage) {
  const all = read(store)
  all[String(id)] = g
  store.setItem(KEY, JSON.stringify(all))
}

/** canRate: only a visit that took place is rated. */
export const canRate = (b: Pick<Schemas['VisitBooking'], 'status'>) => b.status === 'attended'

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
