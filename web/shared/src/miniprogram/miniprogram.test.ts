import { describe, expect, it } from 'vitest'
import { createMiniProgramApi, wxFetch, type WxLike, type WxRequestOptions } from './index'

// A fake `wx` that records each request and answers with what the test says.
function fakeWx(answer: (o: WxRequestOptions) => { statusCode: number; header?: Record<string, string>; body?: unknown } | 'fail') {
  const seen: WxRequestOptions[] = []
  const wx: WxLike = {
    request(o) {
      seen.push(o)
      const a = answer(o)
      setTimeout(() => {
        if (a === 'fail') return o.fail({ errMsg: 'request:fail timeout' })
        const data = a.body === undefined ? new ArrayBuffer(0) : new TextEncoder().encode(JSON.stringify(a.body)).buffer
        o.success({ statusCode: a.statusCode, header: a.header ?? { 'Content-Type': 'application/json' }, data })
      }, 0)
      return { abort() {} }
    },
  }
  return { wx, seen }
}

const decode = (b?: ArrayBuffer) => (b ? new TextDecoder().decode(b) : '')

describe('the mini-program adapter', () => {
  it('runs the typed client over wx.request with the token', async () => {
    const { wx, seen } = fakeWx(() => ({ statusCode: 200, body: { items: [], unread: 3 } }))
    const api = createMiniProgramApi(wx, 'https://tiaojie.example.cn', () => 'tok-1')
    const { data } = await api.GET('/api/v1/notifications', { params: { query: { unread: true } } })
    expect(data?.unread).toBe(3)
    expect(seen[0].url).toBe('https://tiaojie.example.cn/api/v1/notifications?unread=true')
    expect(seen[0].method).toBe('GET')
    expect(seen[0].header.authorization).toBe('Bearer tok-1')
    expect(seen[0].dataType).not.toBe('json')
    expect(seen[0].data).toBeUndefined()
  })

  it('sends JSON bodies as bytes and returns problems typed', async () => {
    const problem = { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: '请稍后', code: 'auth.code_too_soon', message: '请稍后', request_id: 'r1' }
    const { wx, seen } = fakeWx(() => ({ statusCode: 429, header: { 'Content-Type': 'application/problem+json', 'Retry-After': '42' }, body: problem }))
    const api = createMiniProgramApi(wx, 'https://x', () => null)
    const { data, error, response } = await api.POST('/api/v1/auth/sms-code', { body: { phone: '13800138000' } })
    expect(data).toBeUndefined()
    expect(error?.code).toBe('auth.code_too_soon')
    expect(response.headers.get('Retry-After')).toBe('42')
    expect(seen[0].method).toBe('POST')
    expect(JSON.parse(decode(seen[0].data))).toEqual({ phone: '13800138000' })
    expect(seen[0].header['content-type']).toBe('application/json')
    expect(seen[0].header.authorization).toBeUndefined()
  })

  it('answers 204 without a body and fails like fetch on a network error', async () => {
    const { wx } = fakeWx((o) => (o.url.endsWith('/logout') ? { statusCode: 204 } : 'fail'))
    const f = wxFetch(wx)
    const ok = await f('https://x/api/v1/auth/logout', { method: 'POST' })
    expect(ok.status).toBe(204)
    await expect(f('https://x/api/v1/me')).rejects.toThrow(TypeError)
  })

  it('aborts with the signal', async () => {
    let aborted = false
    const wx: WxLike = { request: () => ({ abort: () => void (aborted = true) }) }
    const c = new AbortController()
    const p = wxFetch(wx)('https://x/api/v1/me', { signal: c.signal })
    c.abort()
    await expect(p).rejects.toThrow(/aborted/)
    expect(aborted).toBe(true)
  })
})
