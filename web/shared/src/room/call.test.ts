import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Api } from '../api'
import { Call } from './call'

// A socket the test drives: it records what the call sends and lets the
// test answer as the server would.
class FakeSocket {
  static OPEN = 1
  static all: FakeSocket[] = []
  readyState = 0
  sent: { type: string; data?: Record<string, unknown> }[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
    queueMicrotask(() => {
      this.readyState = 1
      this.onopen?.()
    })
  }
  send(s: string) {
    this.sent.push(JSON.parse(s))
  }
  close() {
    if (this.closed) return
    this.closed = true
    this.readyState = 3
    queueMicrotask(() => this.onclose?.())
  }
  /** serve delivers a server message. */
  serve(type: string, data?: unknown) {
    this.onmessage?.({ data: JSON.stringify({ v: 1, type, data }) })
  }
  /** drop is the network cutting the socket. */
  drop() {
    this.close()
  }
}

type Answer = { data?: unknown; error?: unknown; response: { status: number } }

function fakeClient(answers: (() => Answer)[] = []) {
  let n = 0
  const POST = vi.fn(async (_path: string, _opts: unknown): Promise<Answer> => {
    const a = answers[n] ?? answers[answers.length - 1]
    n++
    if (a) return a()
    return { data: { token: 'tok-' + n, ice_servers: [], room_id: 'r1', participant_id: 'u9', role: 'family', expires_at: '' }, response: { status: 200 } }
  })
  return { client: { POST } as unknown as Api, POST }
}

const tick = async (ms = 0) => {
  await vi.advanceTimersByTimeAsync(ms)
}

const me = { id: 'u9', name: '申请人', role: 'family' }
const host = { id: 'u2', name: '杨律师', role: 'host' }

describe('a call over the signalling socket', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    FakeSocket.all = []
    vi.stubGlobal('WebSocket', FakeSocket)
    vi.stubGlobal('location', { protocol: 'https:', host: 'tiaojie.example' })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  async function joined(client: Api, onEnded?: (r: string) => void) {
    const call = new Call({ roomId: 'r1', client, onEnded })
    call.join(null)
    await tick()
    const ws = FakeSocket.all.at(-1)!
    expect(ws.url).toBe('wss://tiaojie.example/api/v1/rooms/r1/signal')
    expect(ws.sent[0]).toEqual({ v: 1, type: 'join', data: { token: expect.stringMatching(/^tok-/) } })
    return { call, ws }
  }

  it('waits in the lobby, is admitted, and shows people by name', async () => {
    const { client } = fakeClient()
    const { call, ws } = await joined(client)
    expect(call.phase).toBe('connecting')
    ws.serve('welcome', { you: me, state: 'lobby', participants: [], recording: true })
    expect(call.phase).toBe('lobby')
    ws.serve('admitted', { by: 'u2', participants: [host] })
    expect(call.phase).toBe('in-call')
    expect(call.view.people.map((p) => p.name)).toEqual(['杨律师'])
    expect(call.view.recording).toBe(true)
  })

  it('comes back by itself after the socket drops: a new token, a new socket, no lobby', async () => {
    const { client, POST } = fakeClient()
    const { call, ws } = await joined(client)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [host] })
    expect(call.phase).toBe('in-call')
    ws.drop()
    await tick()
    expect(call.phase).toBe('reconnecting')
    expect(POST).toHaveBeenCalledTimes(2) // at once, no waiting
    const ws2 = FakeSocket.all.at(-1)!
    expect(ws2).not.toBe(ws)
    expect(ws2.sent[0].data?.token).toBe('tok-2')
    ws2.serve('welcome', { you: me, state: 'admitted', participants: [host] })
    expect(call.phase).toBe('in-call')
    expect(call.history.map((h) => h.phase)).toEqual(['connecting', 'in-call', 'reconnecting', 'in-call'])
  })

  it('pings a quiet socket and reconnects when a dead one stays silent', async () => {
    const { client, POST } = fakeClient()
    const { call, ws } = await joined(client)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    await tick(5000)
    expect(ws.sent.at(-1)).toEqual({ v: 1, type: 'ping' })
    ws.serve('pong')
    await tick(5000)
    expect(call.phase).toBe('in-call')
    await tick(10_000) // no answer: the socket is dead though never closed
    expect(call.phase).toBe('reconnecting')
    expect(POST).toHaveBeenCalledTimes(2)
    FakeSocket.all.at(-1)!.serve('welcome', { you: me, state: 'admitted', participants: [] })
    expect(call.phase).toBe('in-call')
  })

  it('abandons an attempt whose token request never answers and starts the next', async () => {
    let calls = 0
    const POST = vi.fn(() => {
      calls++
      if (calls === 2) return new Promise(() => {}) // lost in a black hole
      return Promise.resolve({ data: { token: 'tok-' + calls, ice_servers: [] }, response: { status: 200 } })
    })
    const { call, ws } = await joined({ POST } as unknown as Api)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    ws.drop()
    await tick()
    expect(call.phase).toBe('reconnecting')
    expect(POST).toHaveBeenCalledTimes(2)
    await tick(10_000)
    await tick(1000)
    expect(POST).toHaveBeenCalledTimes(3)
    FakeSocket.all.at(-1)!.serve('welcome', { you: me, state: 'admitted', participants: [] })
    expect(call.phase).toBe('in-call')
  })

  it('keeps trying while the network is away, backing off, and gives up after a minute', async () => {
    const down = (): Answer => {
      throw new TypeError('Failed to fetch')
    }
    const { client, POST } = fakeClient([() => ({ data: { token: 'tok-1', ice_servers: [] }, response: { status: 200 } }), down])
    const ended = vi.fn()
    const { call, ws } = await joined(client, ended)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    ws.drop()
    await tick()
    expect(call.phase).toBe('reconnecting')
    await tick(1000)
    await tick(2000)
    expect(POST.mock.calls.length).toBeGreaterThanOrEqual(4)
    await tick(65_000)
    expect(call.phase).toBe('ended')
    expect(call.state.value.reason).toBe('network')
    expect(ended).toHaveBeenCalledWith('network')
  })

  it('ends for good when the rejoin is refused finally (removed meanwhile)', async () => {
    const { client } = fakeClient([
      () => ({ data: { token: 'tok-1', ice_servers: [] }, response: { status: 200 } }),
      () => ({ error: { code: 'room.removed', message: '您已被移出本次调解' }, response: { status: 403 } }),
    ])
    const { call, ws } = await joined(client)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    ws.drop()
    await tick()
    expect(call.state.value).toMatchObject({ phase: 'ended', reason: 'kicked' })
  })

  it('retries a used token (a rejoin raced another) instead of ending', async () => {
    const { client } = fakeClient()
    const { call, ws } = await joined(client)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    ws.drop()
    await tick()
    const ws2 = FakeSocket.all.at(-1)!
    ws2.serve('error', { code: 'room.token_used', message: 'used', fatal: true })
    ws2.close()
    await tick(1500)
    expect(call.phase).toBe('reconnecting')
    FakeSocket.all.at(-1)!.serve('welcome', { you: me, state: 'admitted', participants: [] })
    expect(call.phase).toBe('in-call')
  })

  it.each([
    ['kicked', { by: 'u2' }, 'kicked'],
    ['denied', { by: 'u2' }, 'denied'],
    ['replaced', { reason: 'x' }, 'replaced'],
    ['ended', { reason: 'host_ended', by: 'u2' }, 'host_ended'],
    ['ended', { reason: 'window_closed' }, 'window_closed'],
  ])('ends on %s and does not reconnect when the socket then closes', async (type, data, reason) => {
    const { client, POST } = fakeClient()
    const ended = vi.fn()
    const { call, ws } = await joined(client, ended)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [host] })
    ws.serve(type, data)
    ws.close()
    await tick(5000)
    expect(call.state.value).toMatchObject({ phase: 'ended', reason })
    expect(ended).toHaveBeenCalledWith(reason)
    expect(POST).toHaveBeenCalledTimes(1)
  })

  it('ends for a participant when the host leaves on purpose, not when the host drops', async () => {
    const { client } = fakeClient()
    const { call, ws } = await joined(client)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [host] })
    ws.serve('participant_left', { participant: 'u2', reason: 'dropped' })
    expect(call.phase).toBe('in-call')
    expect(call.view.notice).toContain('网络中断')
    ws.serve('participant_joined', host)
    ws.serve('participant_left', { participant: 'u2', reason: 'left' })
    expect(call.state.value).toMatchObject({ phase: 'ended', reason: 'host_left' })
  })

  it('tells a host of each new arrival in the lobby once', async () => {
    const { client } = fakeClient()
    const arrivals: string[] = []
    const call = new Call({ roomId: 'r1', client, onLobbyArrival: (p) => arrivals.push(p.name) })
    call.join(null)
    await tick()
    const ws = FakeSocket.all.at(-1)!
    ws.serve('welcome', { you: host, state: 'admitted', participants: [], lobby: [{ id: 'u11', name: '在押人员终端', role: 'detainee_terminal' }] })
    ws.serve('lobby', { lobby: [me] })
    ws.serve('lobby', { lobby: [me] })
    ws.serve('lobby', { lobby: [me, { id: 'u10', name: '家属', role: 'family' }] })
    expect(arrivals).toEqual(['在押人员终端', '申请人', '家属'])
    call.admit('u9')
    expect(ws.sent.at(-1)).toEqual({ v: 1, type: 'admit', data: { participant: 'u9' } })
  })

  it('treats a server restart as a drop: it reconnects instead of ending', async () => {
    const { client, POST } = fakeClient()
    const { call, ws } = await joined(client)
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    ws.serve('ended', { reason: 'server_shutdown' })
    await tick()
    expect(call.phase).toBe('reconnecting')
    expect(POST).toHaveBeenCalledTimes(2)
    FakeSocket.all.at(-1)!.serve('welcome', { you: me, state: 'lobby', participants: [] })
    expect(call.phase).toBe('lobby')
  })

  it('says a refused first join in the server\'s words (a too-early join names the start)', async () => {
    const msg = '视频调解还没有开始，请在开始时间后再进入（开始时间：2026年12月2日 10:00）'
    const { client } = fakeClient([() => ({ error: { code: 'room.not_yet_open', message: msg }, response: { status: 409 } })])
    const call = new Call({ roomId: 'r1', client })
    call.join(null)
    await tick()
    expect(call.state.value).toMatchObject({ phase: 'ended', reason: 'error', message: msg })
    expect(FakeSocket.all).toHaveLength(0)
  })

  it('leaving sends leave, closes the socket and stops every local track', async () => {
    const { client } = fakeClient()
    const tracks = [{ kind: 'audio', enabled: true, readyState: 'live', stop() { this.readyState = 'ended' } }, { kind: 'video', enabled: true, readyState: 'live', stop() { this.readyState = 'ended' } }]
    const stream = { getTracks: () => tracks, getAudioTracks: () => [tracks[0]], getVideoTracks: () => [tracks[1]] } as unknown as MediaStream
    const call = new Call({ roomId: 'r1', client })
    call.join(stream)
    await tick()
    const ws = FakeSocket.all.at(-1)!
    ws.serve('welcome', { you: me, state: 'admitted', participants: [] })
    call.toggleMic()
    expect(ws.sent.at(-1)).toEqual({ v: 1, type: 'mute', data: { kind: 'audio', muted: true } })
    expect(tracks[0].enabled).toBe(false)
    call.leave()
    expect(ws.sent.at(-1)).toEqual({ v: 1, type: 'leave' })
    await tick(100)
    expect(ws.closed).toBe(true)
    expect(tracks.map((t) => t.readyState)).toEqual(['ended', 'ended'])
    expect(call.state.value).toMatchObject({ phase: 'ended', reason: 'left' })
  })

  it('follows a host\'s mute of this device', async () => {
    const { client } = fakeClient()
    const track = { kind: 'audio', enabled: true, readyState: 'live', stop() {} }
    const stream = { getTracks: () => [track], getAudioTracks: () => [track], getVideoTracks: () => [] } as unknown as MediaStream
    const call = new Call({ roomId: 'r1', client })
    call.join(stream)
    await tick()
    const ws = FakeSocket.all.at(-1)!
    ws.serve('welcome', { you: me, state: 'admitted', participants: [host] })
    ws.serve('mute', { participant: 'u9', kind: 'audio', muted: true, by: 'u2' })
    expect(track.enabled).toBe(false)
    expect(call.view.micOn).toBe(false)
    expect(call.view.notice).toContain('主持人已将您静音')
    ws.serve('mute', { participant: 'u2', kind: 'video', muted: true, by: 'u2' })
    expect(call.view.people[0].muted.video).toBe(true)
  })
})
