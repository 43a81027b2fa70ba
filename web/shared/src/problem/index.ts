// Problems (RFC 9457, the server's one error envelope) as the apps show
// them: the server's own message (Chinese by Accept-Language), field errors
// keyed by field for forms, and a stand-in problem when no answer came.
import type { Problem } from '../api'

export type { Problem }

/** isProblem tells a problem+json body from anything else. */
export function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && typeof (v as Problem).code === 'string' && typeof (v as Problem).message === 'string'
}

/** toProblem turns what a call threw or returned as its error into a problem. */
export function toProblem(err: unknown, fallback = '网络连接失败，请稍后重试'): Problem {
  if (isProblem(err)) return err
  return {
    type: 'about:blank',
    title: 'Network Error',
    status: 0,
    detail: fallback,
    code: 'client.network',
    message: fallback,
    request_id: '',
  }
}

/** fieldErrors maps each bad field to the server's message for it. Nested
 * fields come as dotted paths (agreement.terms), as the server names them. */
export function fieldErrors(p: Problem | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of p?.errors ?? []) {
    if (!(e.field in out)) out[e.field] = e.message
  }
  return out
}

/** problemText is the line to show a person; the request ID lets support
 * find the server's log line. */
export function problemText(p: Problem): string {
  return p.request_id ? `${p.message}（请求编号 ${p.request_id}）` : p.message
}
