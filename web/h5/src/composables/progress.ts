// The progress bar of a citizen's request: the steps the case walks through
// (filed → screened → assigned → in mediation → outcome → closed) and how far
// it got, from the request's status alone.
import type { Schemas } from '@tiaojie/shared/api'

export type RequestStatus = Schemas['RequestStatus']

export interface Progress {
  steps: string[]
  /** Index of the current step. */
  active: number
  /** The case ended off the usual path (rejected, withdrawn, failed…). */
  stopped: boolean
}

export const statusLabels: Record<RequestStatus, string> = {
  filed: '已提交',
  screened: '已受理',
  assigned: '已分派',
  in_mediation: '调解中',
  agreed: '调解成功',
  failed: '调解未成',
  referred_to_litigation: '转诉讼',
  closed: '已办结',
  followed_up: '已回访',
  rejected: '不予受理',
  withdrawn: '已撤回',
}

const path: RequestStatus[] = ['filed', 'screened', 'assigned', 'in_mediation']

export function progressOf(status: RequestStatus): Progress {
  if (status === 'rejected' || status === 'withdrawn') {
    return { steps: ['已提交', statusLabels[status]], active: 1, stopped: true }
  }
  const steps = ['已提交', '已受理', '已分派', '调解中', '调解结果', '已办结']
  const i = path.indexOf(status)
  if (i >= 0) return { steps, active: i, stopped: false }
  if (status === 'agreed' || status === 'failed' || status === 'referred_to_litigation') {
    steps[4] = statusLabels[status]
    return { steps, active: 4, stopped: status !== 'agreed' }
  }
  // closed, followed_up
  return { steps, active: 5, stopped: false }
}

/** Whether the filer may still withdraw (until an outcome). */
export function canWithdraw(status: RequestStatus): boolean {
  return status === 'filed' || status === 'screened' || status === 'assigned' || status === 'in_mediation'
}

/** Whether the filer may rate the outcome (a closed case not yet rated). */
export function canRate(r: { status: RequestStatus; rating?: unknown }): boolean {
  return (r.status === 'closed' || r.status === 'followed_up') && !r.rating
}
