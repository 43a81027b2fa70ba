import { describe, expect, it } from 'vitest'
import { fieldErrors, isProblem, problemText, toProblem } from './index'

const p = {
  type: 'about:blank',
  title: 'Unprocessable Entity',
  status: 422,
  detail: '请求参数有误',
  code: 'validation.failed',
  message: '请求参数有误',
  request_id: 'r-1',
  errors: [
    { field: 'name', code: 'required' as const, message: '必填' },
    { field: 'agreement.terms', code: 'too_long' as const, message: '过长' },
    { field: 'name', code: 'too_short' as const, message: '过短' },
  ],
}

describe('problems', () => {
  it('keys field errors by the field the server names, first message winning', () => {
    expect(fieldErrors(p)).toEqual({ name: '必填', 'agreement.terms': '过长' })
    expect(fieldErrors(null)).toEqual({})
  })
  it('turns a network failure into a problem people can read', () => {
    const n = toProblem(new TypeError('Failed to fetch'))
    expect(n.code).toBe('client.network')
    expect(n.message).toContain('网络')
    expect(toProblem(p)).toBe(p)
    expect(isProblem({ code: 'x' })).toBe(false)
  })
  it('quotes the request ID after the message', () => {
    expect(problemText(p)).toBe('请求参数有误（请求编号 r-1）')
  })
})
