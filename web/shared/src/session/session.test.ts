import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Api } from '../api'
import { defineSessionStore, type TokenPair } from './index'

const pair = (n: number, expiresIn = 900): TokenPair => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: expiresIn,
  token_type: 'Bearer',
})

// A fake server for the two calls the session makes.
function fakeApi(answer: () => Promise<{ data?: TokenPair; error?: unknown }>) {
  const POST = vi.fn(async (path: string) => (path === '/api/v1/auth/refresh' ? answer() : { data: undefined }))
  return { api: { POST } as unknown as Api, POST }
}

let n = 0
function session(api: Api, onExpired = vi.fn()) {
  n++
  const use = defineSessionStore(`session-${n}`, { api, storageKey: `key-${n}`, onExpired })
  return { s: use(), onExpired, key: `key-${n}` }
}

describe('session', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
    localStorage.clear()
  })
  afterEach(() => vi.useRealTimers())

  it('refreshes the access token a minute before it expires, with the rotating refresh token', async () => {
    let next = 2
    const { api, POST } = fakeApi(async () => ({ data: pair(next++) }))
    const { s, key } = session(api)
    s.start(pair(1))
    await vi.advanceTimersByTimeAsync(838_000) // 15 min − 60 s − 2 s: not yet
    expect(POST).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(3_000)
    expect(POST).toHaveBeenCalledTimes(1)
    expect(POST).toHaveBeenLastCalledWith('/api/v1/auth/refresh', { body: { refresh_token: 'refresh-1' } })
    expect(s.current?.accessToken).toBe('access-2')
    expect(JSON.parse(localStorage.getItem(key) ?? '{}').refreshToken).toBe('refresh-2')
    // and again before the new pair expires, spending the new refresh token
    await vi.advanceTimersByTimeAsync(841_000)
    expect(POST).toHaveBeenLastCalledWith('/api/v1/auth/refresh', { body: { refresh_token: 'refresh-2' } })
  })

  it('spends a refresh token once however many calls need a fresh access token at the same time', async () => {
    let release: (v: { data: TokenPair }) => void = () => {}
    const { api, POST } = fakeApi(() => new Promise((r) => (release = r)))
    const { s } = session(api)
    s.start(pair(1, 3)) // 3 s left: every call must renew first
    const tokens = Promise.all([s.accessToken(), s.accessToken(), s.accessToken()])
    release({ data: pair(2) })
    expect(await tokens).toEqual(['access-2', 'access-2', 'access-2'])
    expect(POST).toHaveBeenCalledTimes(1)
  })

  it('takes the pair another tab already rotated instead of spending the old refresh token again', async () => {
    const { api, POST } = fakeApi(async () => ({ data: pair(9) }))
    const { s, key } = session(api)
    s.start(pair(1))
    // the other tab refreshed: storage holds its newer pair
    localStorage.setItem(key, JSON.stringify({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: Date.now() + 900_000, user: null }))
    expect(await s.refresh()).toBe(true)
    expect(POST).not.toHaveBeenCalled()
    expect(s.current?.accessToken).toBe('access-2')
  })

  it('ends the session and tells the app when the server refuses the refresh', async () => {
    const { api } = fakeApi(async () => ({ error: { code: 'auth.token_reused', message: '登录已失效' } }))
    const { s, onExpired, key } = session(api)
    s.start(pair(1))
    expect(await s.refresh()).toBe(false)
    expect(s.signedIn).toBe(false)
    expect(localStorage.getItem(key)).toBeNull()
    expect(onExpired).toHaveBeenCalledTimes(1)
  })

  it('keeps the session through a network failure and retries shortly', async () => {
    let fail = true
    const POST = vi.fn(async () => {
      if (fail) throw new TypeError('Failed to fetch')
      return { data: pair(2) }
    })
    const { s, onExpired } = session({ POST } as unknown as Api)
    s.start(pair(1))
    expect(await s.refresh()).toBe(true)
    expect(s.signedIn).toBe(true)
    fail = false
    await vi.advanceTimersByTimeAsync(10_000)
    expect(s.current?.accessToken).toBe('access-2')
    expect(onExpired).not.toHaveBeenCalled()
  })

  it('puts the bearer token on calls, none on login, and ends the session on a 401', async () => {
    const { api } = fakeApi(async () => ({ data: pair(2) }))
    const { s, onExpired } = session(api)
    s.start(pair(1))
    const mw = s.middleware
    const call = (schemaPath: string) => {
      const request = new Request('http://x' + schemaPath)
      return mw.onRequest!({ request, schemaPath, params: {}, id: '1', options: {} as never }) as Promise<Request>
    }
    expect((await call('/api/v1/work-orders')).headers.get('Authorization')).toBe('Bearer access-1')
    expect((await call('/api/v1/auth/staff-login')).headers.get('Authorization')).toBeNull()

    const authed = await call('/api/v1/work-orders')
    await mw.onResponse!({ request: authed, response: new Response(null, { status: 401 }), schemaPath: '', params: {}, id: '1', options: {} as never })
    expect(s.signedIn).toBe(false)
    expect(onExpired).toHaveBeenCalledTimes(1)
  })

  it('logs out on the server with the access token and forgets the pair', async () => {
    const { api, POST } = fakeApi(async () => ({ data: pair(2) }))
    const { s, onExpired } = session(api)
    s.start(pair(1))
    await s.logout()
    expect(POST).toHaveBeenCalledWith('/api/v1/auth/logout', { headers: { Authorization: 'Bearer access-1' } })
    expect(s.signedIn).toBe(false)
    expect(onExpired).not.toHaveBeenCalled()
  })
})
