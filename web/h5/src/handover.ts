// Token hand-over from a mini-program: the mini-program logs in itself
// (miniprogram-login) and opens the H5 in a web-view with a refresh token in
// the URL fragment (#rt=…), which never reaches a server or a log. The app
// renews it at once (so the token in the URL is spent) and removes the
// fragment. See docs/MINIPROGRAM.md.
import { createApi } from '@tiaojie/shared/api'
import type { TokenPair } from '@tiaojie/shared/session'

export async function handOver(start: (p: TokenPair) => void, loc: Location = window.location, hist: History = window.history): Promise<boolean> {
  const m = /(?:^#|&)rt=([^&]+)/.exec(loc.hash)
  if (!m) return false
  hist.replaceState(hist.state, '', loc.pathname + loc.search)
  try {
    const { data } = await createApi().POST('/api/v1/auth/refresh', { body: { refresh_token: decodeURIComponent(m[1]) } })
    if (!data) return false
    start(data)
    return true
  } catch {
    return false
  }
}
