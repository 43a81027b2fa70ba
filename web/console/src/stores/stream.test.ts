import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useSession } from '@/api'
import { useStream } from './stream'

// A WebSocket stand-in that records what the app sends.
class FakeSocket {
  static last: FakeSocket | null = null
  static OPEN = 1
  readyState = 1
  sent: string[] = []
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  constructor(
    public url: string,
    public protocols: string[],
  ) {
    FakeSocket.last = this
  }
  send(s: string) {
    this.sent.push(s)
  }
  close() {
    this.onclose?.()
  }
  server(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) })
  }
}

const order = (id: number) => ({ id, kind: 'screen_request', unit_id: 1, priority: 2, state: 'delivered', title: '新的调解申请待筛选', resource_type: 'request', resource_id: 7, created_at: '2026-11-30T10:00:00Z' })

describe('staff stream', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
    vi.stubGlobal('WebSocket', FakeSocket)
    useSession().start({ access_token: 'tok', refresh_token: 'r', expires_in: 900, token_type: 'Bearer' })
  })
  afterEach(() => vi.unstubAllGlobals())

  it('offers the token as a subprotocol, never in the URL', async () => {
    await useStream().open()
    const ws = FakeSocket.last!
    expect(ws.protocols).toEqual(['tiaojie.v1', 'bearer.tok'])
    expect(ws.url).not.toContain('tok')
  })

  it('acknowledges every order delivery, and counts an order once however often it comes', async () => {
    const stream = useStream()
    await stream.open()
    const ws = FakeSocket.last!
    ws.server({ type: 'ready', app: 'police', streams: ['wo:unit:1'] })
    expect(stream.status).toBe('live')
    const seen: [number, boolean][] = []
    stream.onOrder((o, again) => seen.push([o.id, again]))
    ws.server({ type: 'order', delivery_id: 'wo:unit:1/1-0', order: order(5) })
    ws.server({ type: 'order', delivery_id: 'wo:unit:1/2-0', order: order(5), redelivery: true })
    ws.server({ type: 'order', delivery_id: 'wo:unit:1/3-0', order: order(6) })
    expect(ws.sent.map((s) => JSON.parse(s))).toEqual([
      { type: 'ack', delivery_id: 'wo:unit:1/1-0' },
      { type: 'ack', delivery_id: 'wo:unit:1/2-0' },
      { type: 'ack', delivery_id: 'wo:unit:1/3-0' },
    ])
    expect(stream.unseen).toBe(2)
    expect(stream.arrivals.map((o) => o.id)).toEqual([6, 5])
    expect(seen).toEqual([[5, false], [5, true], [6, false]])
  })

  it('reconnects after a drop, and stops when another tab takes the stream', async () => {
    vi.useFakeTimers()
    const stream = useStream()
    await stream.open()
    const first = FakeSocket.last!
    first.close()
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeSocket.last).not.toBe(first)
    const second = FakeSocket.last!
    second.server({ type: 'error', code: 'stream.replaced', message: '' })
    second.close()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.last).toBe(second)
    vi.useRealTimers()
  })
})
