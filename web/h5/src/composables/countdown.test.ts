import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { retryAfterSeconds, useCountdown, waitText } from './countdown'

describe('countdown', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('counts down to zero and stops', () => {
    const scope = effectScope()
    const c = scope.run(() => useCountdown())!
    c.start(3)
    expect(c.left.value).toBe(3)
    expect(c.running.value).toBe(true)
    vi.advanceTimersByTime(2000)
    expect(c.left.value).toBe(1)
    vi.advanceTimersByTime(5000)
    expect(c.left.value).toBe(0)
    expect(c.running.value).toBe(false)
    scope.stop()
  })

  it('a new start replaces the running one; the scope ending stops it', () => {
    const scope = effectScope()
    const c = scope.run(() => useCountdown())!
    c.start(60)
    vi.advanceTimersByTime(10_000)
    c.start(5)
    expect(c.left.value).toBe(5)
    scope.stop()
    vi.advanceTimersByTime(3000)
    expect(c.left.value).toBe(5)
  })
})

describe('Retry-After', () => {
  it('reads seconds, a date, or falls back to 60', () => {
    expect(retryAfterSeconds(new Response(null, { status: 429, headers: { 'Retry-After': '42' } }))).toBe(42)
    const now = Date.parse('2026-12-01T00:00:00Z')
    expect(retryAfterSeconds(new Response(null, { status: 429, headers: { 'Retry-After': 'Tue, 01 Dec 2026 00:00:30 GMT' } }), now)).toBe(30)
    expect(retryAfterSeconds(new Response(null, { status: 429 }))).toBe(60)
    expect(retryAfterSeconds(undefined)).toBe(60)
    expect(waitText(42)).toBe('请 42 秒后再试')
  })
})
