// Showing the server's problems on a phone: a toast with its Chinese
// message, field errors under their fields, a rate limit as "请 N 秒后再试".
import { fieldErrors, problemText, toProblem, type Problem } from '@tiaojie/shared/problem'
import { showToast } from 'vant'
import { retryAfterSeconds, waitText } from './countdown'

export { fieldErrors, toProblem }
export type { Problem }

/** say shows a problem (or anything a call threw) as a toast; a 429 says how long to wait. */
export function say(err: unknown, res?: Response): Problem {
  const p = toProblem(err)
  if (res?.status === 429 || p.status === 429) showToast(waitText(retryAfterSeconds(res)))
  else showToast({ message: problemText(p), wordBreak: 'break-all' })
  return p
}
