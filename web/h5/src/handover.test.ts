import { afterEach, describe, expect, it, vi } from 'vitest'
import { handOver } from './handover'

const pair = { access_token: 'a2', refresh_token: 'r2', expires_in: 900, token_type: 'Bearer' }

function place(hash: string) {
  const replaced: string[] = []
  const loc = { hash, pathname: '/h5/requests', search: '?x=1' } as Location
  const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url) } as unknown as History
  return { loc, hist, replaced }
}

describe('the mini-program hand-over', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('spends the refresh token in the fragment and starts the session', async () => {
    const sent: unknown[] = []
    vi.stubGlobal('fetch', async (req: Request) => {
      sent.push(await req.json())
      return Response.json(pair)
    })
    const { loc, hist, replaced } = place('#rt=r1%2Bx')
    const start = vi.fn()
    expect(await handOver(start, loc, hist)).toBe(true)
    expect(replaced).toEqual(['/h5/requests?x=1']) // the token leaves the address bar first
    expect(sent).toEqual([{ refresh_token: 'r1+x' }])
    expect(start).toHaveBeenCalledWith(pair)
  })

  it('does nothing without a fragment, and stays signed out on a refused token', async () => {
    const start = vi.fn()
    expect(await handOver(start, place('').loc, place('').hist)).toBe(false)
    vi.stubGlobal('fetch', async () => Response.json({ code: 'auth.refresh_reused', message: 'x' }, { status: 401 }))
    const p = place('#rt=spent')
    expect(await handOver(start, p.loc, p.hist)).toBe(false)
    expect(p.replaced).toHaveLength(1)
    expect(start).not.toHaveBeenCalled()
  })
})
