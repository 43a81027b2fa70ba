// The staff stream (docs/DISPATCH.md) as a staff app uses it: one WebSocket
// with the access token as a subprotocol, every order acknowledged once it
// is shown, a ping every 20 s, and a reconnect with a fresh token after a drop.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useSession } from '@/api'

export type StreamOrder = Schemas['StreamOrder']
type ServerMessage = Schemas['StreamServerMessage']
type ClientMessage = Schemas['StreamClientMessage']

export type StreamStatus = 'off' | 'connecting' | 'live'

export const useStream = defineStore('stream', () => {
  const status = ref<StreamStatus>('off')
  /** Orders that arrived on this page, newest first, one per order ID. */
  const arrivals = ref<StreamOrder[]>([])
  const unseen = ref(0)
  /** Bumped on every order and notice, so lists know to reload. */
  const changes = ref(0)
  const listeners = new Set<(o: StreamOrder, redelivery: boolean) => void>()
  let ws: WebSocket | null = null
  let pinger: ReturnType<typeof setInterval> | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  let backoff = 1000
  let wanted = false

  function send(msg: ClientMessage) {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg))
  }

  async function open() {
    wanted = true
    if (ws) return
    const token = await useSession().accessToken()
    if (!token || !wanted || ws) return
    status.value = 'connecting'
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
    const sock = new WebSocket(`${scheme}//${location.host}/api/v1/staff/stream`, ['tiaojie.v1', `bearer.${token}`])
    ws = sock
    sock.onmessage = (e: MessageEvent<string>) => {
      try {
        handle(JSON.parse(e.data) as ServerMessage)
      } catch {
        // Not JSON: nothing the protocol sends; ignore it.
      }
    }
    sock.onclose = () => {
      if (ws === sock) ws = null
      clearInterval(pinger)
      status.value = 'off'
      if (wanted) {
        retry = setTimeout(() => void open(), backoff)
        backoff = Math.min(backoff * 2, 30_000)
      }
    }
  }

  function handle(msg: ServerMessage) {
    switch (msg.type) {
      case 'ready':
        status.value = 'live'
        backoff = 1000
        clearInterval(pinger)
        pinger = setInterval(() => send({ type: 'ping' }), 20_000)
        break
      case 'order':
        if (msg.order) receive(msg.order, msg.redelivery ?? false)
        if (msg.delivery_id) send({ type: 'ack', delivery_id: msg.delivery_id })
        break
      case 'notice':
        changes.value++
        break
      case 'error':
        if (msg.code === 'stream.replaced') wanted = false // another tab of this user took the stream
        break
    }
  }

  function receive(o: StreamOrder, redelivery: boolean) {
    const known = arrivals.value.some((a) => a.id === o.id)
    arrivals.value = [o, ...arrivals.value.filter((a) => a.id !== o.id)].slice(0, 50)
    changes.value++
    if (!known) unseen.value++
    for (const f of listeners) f(o, redelivery || known)
  }

  /** onOrder calls f for every order that arrives; it returns the unsubscribe. */
  function onOrder(f: (o: StreamOrder, again: boolean) => void) {
    listeners.add(f)
    return () => listeners.delete(f)
  }

  function close() {
    wanted = false
    clearTimeout(retry)
    clearInterval(pinger)
    ws?.close()
    ws = null
    status.value = 'off'
  }

  return { status, arrivals, unseen, changes, open, close, onOrder, handle, markSeen: () => (unseen.value = 0) }
})
