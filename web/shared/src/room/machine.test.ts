import { describe, expect, it } from 'vitest'
import { type CallEvent, type CallState, endedReason, giveUpAfterMs, hostLeft, initialState, reduce, retryDelay } from './machine'

const run = (events: CallEvent[], from: CallState = initialState) => events.reduce(reduce, from)

describe('the call state machine', () => {
  it('goes check → connecting → lobby → in-call', () => {
    let s = run([{ type: 'join' }])
    expect(s.phase).toBe('connecting')
    s = reduce(s, { type: 'welcome', state: 'lobby' })
    expect(s.phase).toBe('lobby')
    expect(s.admitted).toBe(false)
    s = reduce(s, { type: 'admitted' })
    expect(s).toMatchObject({ phase: 'in-call', admitted: true })
  })

  it('goes straight in when the welcome says admitted (hosts, or back within the grace period)', () => {
    expect(run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }]).phase).toBe('in-call')
  })

  it('reconnects after a lost socket and comes back in the call without the lobby', () => {
    let s = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }, { type: 'lost', at: 1000 }])
    expect(s).toMatchObject({ phase: 'reconnecting', lostAt: 1000, admitted: true, attempts: 0 })
    s = reduce(s, { type: 'retry' })
    s = reduce(s, { type: 'retry' })
    expect(s.attempts).toBe(2)
    s = reduce(s, { type: 'lost', at: 3000 }) // another failure inside the outage changes nothing
    expect(s).toMatchObject({ phase: 'reconnecting', lostAt: 1000 })
    s = reduce(s, { type: 'welcome', state: 'admitted' })
    expect(s).toMatchObject({ phase: 'in-call', attempts: 0, admitted: true })
    expect(s.lostAt).toBeUndefined()
  })

  it('lands in the lobby again when the grace period has passed', () => {
    const s = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }, { type: 'lost', at: 0 }, { type: 'welcome', state: 'lobby' }])
    expect(s.phase).toBe('lobby')
  })

  it('gives up after a long outage', () => {
    const s = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }, { type: 'lost', at: 0 }, { type: 'lost', at: giveUpAfterMs + 1 }])
    expect(s).toMatchObject({ phase: 'ended', reason: 'network' })
  })

  it('ends with each reason the server gives', () => {
    const inCall = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }])
    for (const reason of ['host_ended', 'kicked', 'denied', 'replaced', 'host_left', 'left'] as const) {
      const s = reduce(inCall, { type: 'end', reason })
      expect(s.phase).toBe('ended')
      expect(s.reason).toBe(reason)
      expect(s.message).toMatch(/[\u4e00-\u9fa5]/)
    }
    expect(reduce(inCall, { type: 'end', reason: 'host_ended' }).message).toBe('主持人已结束本次调解')
    expect(reduce(inCall, { type: 'end', reason: 'kicked' }).message).toContain('移出')
    expect(reduce(inCall, { type: 'end', reason: 'denied' }).message).toContain('未允许')
    expect(reduce(inCall, { type: 'end', reason: 'replaced' }).message).toContain('其他设备')
    expect(reduce(inCall, { type: 'end', reason: 'host_left' }).message).toContain('主持人已离开')
  })

  it('is denied from the lobby', () => {
    const s = run([{ type: 'join' }, { type: 'welcome', state: 'lobby' }, { type: 'end', reason: 'denied' }])
    expect(s).toMatchObject({ phase: 'ended', reason: 'denied' })
  })

  it('ends once: a later end or loss does not change the reason', () => {
    let s = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }, { type: 'end', reason: 'kicked' }])
    s = reduce(s, { type: 'end', reason: 'left' })
    s = reduce(s, { type: 'lost', at: 5 })
    expect(s.reason).toBe('kicked')
  })

  it('keeps retrying refusals that a new token may cure, ends on final ones', () => {
    const rec = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }, { type: 'lost', at: 0 }])
    expect(reduce(rec, { type: 'fatal', code: 'room.token_used' }).phase).toBe('reconnecting')
    expect(reduce(rec, { type: 'fatal', code: 'room.shutting_down' }).phase).toBe('reconnecting')
    expect(reduce(rec, { type: 'fatal', code: 'room.removed' })).toMatchObject({ phase: 'ended', reason: 'kicked' })
    expect(reduce(rec, { type: 'fatal', code: 'room.ended' })).toMatchObject({ phase: 'ended', reason: 'room_ended' })
  })

  it('shows the server\'s Chinese message for a refused first join (a too-early join says the start time)', () => {
    const msg = '视频调解还没有开始，请在开始时间后再进入（开始时间：2026年12月2日 10:00）'
    const s = run([{ type: 'join' }, { type: 'fatal', code: 'room.not_yet_open', message: msg }])
    expect(s).toMatchObject({ phase: 'ended', reason: 'error', message: msg })
  })

  it('ignores events that do not belong to the phase', () => {
    expect(reduce(initialState, { type: 'admitted' })).toBe(initialState)
    expect(reduce(initialState, { type: 'lost', at: 1 })).toBe(initialState)
    expect(reduce(initialState, { type: 'end', reason: 'left' })).toBe(initialState)
    const inCall = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }])
    expect(reduce(inCall, { type: 'welcome', state: 'lobby' })).toBe(inCall)
  })

  it('starts over from the end screen', () => {
    const s = run([{ type: 'join' }, { type: 'welcome', state: 'admitted' }, { type: 'end', reason: 'left' }, { type: 'rejoin' }])
    expect(s).toEqual(initialState)
  })

  it('retries at once, then backs off to at most 5 s', () => {
    expect([0, 1, 2, 3, 4, 10].map(retryDelay)).toEqual([0, 1000, 2000, 4000, 5000, 5000])
  })

  it('maps the server\'s ended reasons', () => {
    expect(endedReason('host_ended')).toBe('host_ended')
    expect(endedReason('window_closed')).toBe('window_closed')
    expect(endedReason('ended')).toBe('room_ended')
    expect(endedReason(undefined)).toBe('room_ended')
  })

  it('ends the call for a participant when the last host leaves on purpose, not when one drops', () => {
    const me = { id: 'u9', role: 'family' }
    const host = { id: 'u2', role: 'host' }
    expect(hostLeft(me, host, 'left', [])).toBe(true)
    expect(hostLeft(me, host, 'dropped', [])).toBe(false)
    expect(hostLeft(me, host, 'left', [{ id: 'u3', role: 'host' }])).toBe(false)
    expect(hostLeft({ id: 'u3', role: 'host' }, host, 'left', [])).toBe(false)
    expect(hostLeft(me, { id: 'u4', role: 'family' }, 'left', [])).toBe(false)
  })
})
