// One video call: the room token, the signalling socket (docs/SIGNALLING.md),
// the PeerConnection, reconnection, host actions and statistics. RoomView
// shows what it holds; the state machine (machine.ts) decides the phases.
import { reactive, shallowRef } from 'vue'
import type { Api } from '../api'
import { isProblem } from '../problem'
import {
  type CallEvent,
  type CallState,
  type EndReason,
  endedReason,
  errorText,
  finalMessageReason,
  hostLeft,
  initialState,
  isLive,
  reduce,
  retryDelay,
} from './machine'
import { type InboundSample, type Quality, quality, stopStream, uplinkQuality, worst } from './media'

export interface Person {
  id: string
  name: string
  role: string
  muted: { audio: boolean; video: boolean }
  stream: MediaStream | null
  quality: Quality
}

interface Info {
  id: string
  name?: string
  role: string
  muted?: Record<string, boolean>
}

export interface CallOptions {
  roomId: string
  client: Api
  /** Called when a new person waits in the lobby (hosts). */
  onLobbyArrival?: (p: Person) => void
  /** Called when the call ends, with the reason. */
  onEnded?: (reason: EndReason) => void
  now?: () => number
}

/** The socket is pinged after this long without a message, and counted lost after deadAfterMs. */
export const heartbeatMs = 5000
/** A join attempt without a welcome after this long is abandoned for the next. */
export const attemptTimeoutMs = 10_000
export const deadAfterMs = 12_000

export type Role = 'host' | 'family' | 'detainee_terminal' | 'observer' | ''

export const roleNames: Record<string, string> = { host: '主持人', family: '家属', detainee_terminal: '在押人员终端', observer: '观察员' }

/** A display name: the server's, else the role. */
export function displayName(p: { name?: string; role?: string; id?: string }): string {
  return p.name?.trim() || roleNames[p.role ?? ''] || '参与人'
}

export class Call {
  readonly opts: CallOptions
  readonly state = shallowRef<CallState>(initialState)
  readonly view = reactive({
    me: null as Person | null,
    people: [] as Person[],
    lobby: [] as Person[],
    recording: false,
    micOn: true,
    camOn: true,
    notice: '',
    /** The media path is down while the socket is up: an ICE restart is under way. */
    mediaTrouble: false,
    selfQuality: 'unknown' as Quality,
  })
  local: MediaStream | null = null
  /** Every local track this call ever held, for the end-of-call check. */
  readonly allLocalTracks = new Set<MediaStreamTrack>()
  /** The phases this call went through, with when (ms), newest last (at most 50). */
  readonly history: { phase: string; at: number }[] = []
  ws: WebSocket | null = null
  pc: RTCPeerConnection | null = null
  iceServers: RTCIceServer[] = []

  private attached = false
  private pending: RTCIceCandidateInit[] = []
  private trackOwner = new Map<string, string>() // remote track id → participant id
  private orphans = new Map<string, MediaStream>() // media of someone not announced yet, by participant id
  private samples = new Map<string, InboundSample>() // inbound-rtp id → last sample
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private welcomeTimer: ReturnType<typeof setTimeout> | undefined
  private iceTimer: ReturnType<typeof setTimeout> | undefined
  private statsTimer: ReturnType<typeof setInterval> | undefined
  private noticeTimer: ReturnType<typeof setTimeout> | undefined
  private seenLobby = new Set<string>()
  private gen = 0
  private heartTimer: ReturnType<typeof setInterval> | undefined
  private lastHeard = 0
  private readonly onOnline = () => {
    if (this.phase === 'reconnecting') this.attempt()
    // Back on a network (Wi-Fi ↔ cellular): a new media path at once.
    else if (this.phase === 'in-call') this.send('ice_restart')
  }

  constructor(opts: CallOptions) {
    this.opts = opts
  }

  private now() {
    return (this.opts.now ?? Date.now)()
  }

  private dispatch(e: CallEvent) {
    const before = this.state.value
    const after = reduce(before, e)
    if (after === before) return
    this.state.value = after
    if (after.phase !== before.phase) {
      this.history.push({ phase: after.phase, at: this.now() })
      if (this.history.length > 50) this.history.shift()
    }
    if (after.phase === 'ended' && before.phase !== 'ended') this.finish(after.reason ?? 'error')
  }

  get phase() {
    return this.state.value.phase
  }

  /** join enters the room with the stream the pre-call check opened (null: without media). */
  join(local: MediaStream | null) {
    this.local = local
    for (const t of local?.getTracks() ?? []) this.allLocalTracks.add(t)
    this.view.micOn = (local?.getAudioTracks().length ?? 0) > 0
    this.view.camOn = (local?.getVideoTracks().length ?? 0) > 0
    this.dispatch({ type: 'join' })
    globalThis.addEventListener?.('online', this.onOnline)
    this.statsTimer = setInterval(() => void this.sampleStats(), 2000)
    this.heartTimer = setInterval(() => this.heartbeat(), heartbeatMs)
    void this.connect()
  }

  // ---- signalling ----

  /**
   * heartbeat finds a socket that died without closing (a phone that lost
   * its network keeps a dead TCP connection for minutes): quiet for a while,
   * it is pinged; quiet for longer, it counts as lost.
   */
  private heartbeat() {
    const ws = this.ws
    if (!ws || ws.readyState !== WebSocket.OPEN || !isLive(this.phase) || this.phase === 'reconnecting') return
    const quiet = this.now() - this.lastHeard
    if (quiet > deadAfterMs) {
      this.ws = null
      ws.onclose = null
      ws.close()
      this.lost('与服务器的连接超时')
    } else if (quiet >= heartbeatMs) {
      this.send('ping')
    }
  }

  private async connect() {
    const gen = ++this.gen
    clearTimeout(this.welcomeTimer)
    // An attempt that has no welcome in time — a token request or a socket
    // lost in a network black hole — is given up and the next one starts.
    this.welcomeTimer = setTimeout(() => {
      if (gen !== this.gen || (this.phase !== 'connecting' && this.phase !== 'reconnecting')) return
      this.gen++ // a late answer to this attempt is ignored
      const ws = this.ws
      this.ws = null
      if (ws) {
        ws.onclose = null
        ws.close()
      }
      this.lost('连接超时')
    }, attemptTimeoutMs)
    let grant
    try {
      const r = await this.opts.client.POST('/api/v1/rooms/{id}/join-token', { params: { path: { id: this.opts.roomId } } })
      if (gen !== this.gen || !isLive(this.phase)) return
      if (!r.data) {
        const p = r.error as unknown
        if (isProblem(p)) {
          this.refused(p.code, p.message || errorText(p.code))
          return
        }
        throw new Error('no grant')
      }
      grant = r.data
    } catch {
      if (gen !== this.gen) return
      this.lost('网络连接失败')
      return
    }
    this.iceServers = (grant.ice_servers ?? []) as RTCIceServer[]
    const url = signalURL(this.opts.roomId, grant.signal_url)
    let ws: WebSocket
    try {
      ws = new WebSocket(url)
    } catch {
      this.lost('无法连接服务器')
      return
    }
    this.ws = ws
    ws.onopen = () => {
      this.lastHeard = this.now()
      ws.send(JSON.stringify({ v: 1, type: 'join', data: { token: grant.token } }))
    }
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return
      this.lastHeard = this.now()
      let m: { type: string; data?: Record<string, unknown> }
      try {
        m = JSON.parse(String(ev.data))
      } catch {
        return
      }
      void this.onMessage(m.type, (m.data ?? {}) as Record<string, never>)
    }
    ws.onclose = () => {
      if (ws !== this.ws) return
      this.ws = null
      if (isLive(this.phase)) this.lost('与服务器的连接中断')
    }
  }

  /** A refused join token or join: final codes end the call, others are retried while reconnecting. */
  private refused(code: string, message: string) {
    const wasReconnecting = this.phase === 'reconnecting'
    this.dispatch({ type: 'fatal', code, message })
    if (wasReconnecting && this.phase === 'reconnecting') this.scheduleRetry()
  }

  private send(type: string, data?: unknown) {
    const ws = this.ws
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(data === undefined ? { v: 1, type } : { v: 1, type, data }))
  }

  private lost(why: string) {
    if (!isLive(this.phase)) return
    this.dropMedia()
    const wasReconnecting = this.phase === 'reconnecting'
    this.dispatch({ type: 'lost', at: this.now(), why })
    if (this.phase !== 'reconnecting') return
    if (wasReconnecting) this.scheduleRetry()
    else this.attempt()
  }

  private scheduleRetry() {
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => this.attempt(), retryDelay(this.state.value.attempts))
  }

  private attempt() {
    if (this.phase !== 'reconnecting') return
    // Give up once the outage is too long.
    this.dispatch({ type: 'lost', at: this.now() })
    if (this.phase !== 'reconnecting') return
    clearTimeout(this.retryTimer)
    const old = this.ws
    this.ws = null
    if (old) {
      old.onclose = null
      old.close()
    }
    this.dispatch({ type: 'retry' })
    void this.connect()
  }

  private async onMessage(type: string, d: Record<string, never>) {
    switch (type) {
      case 'welcome': {
        clearTimeout(this.welcomeTimer)
        const you = d.you as Info
        this.view.me = this.person(you)
        this.view.recording = !!d.recording
        this.view.people = ((d.participants ?? []) as Info[]).map((p) => this.person(p))
        this.setLobby((d.lobby ?? []) as Info[]) // a host arriving to someone already waiting is told too
        const muted = you.muted ?? {}
        // The server remembers a mute across a reconnect; the tracks follow it.
        if (muted.audio) this.setTrack('audio', false)
        if (muted.video) this.setTrack('video', false)
        this.dispatch({ type: 'welcome', state: d.state === 'admitted' ? 'admitted' : 'lobby' })
        // What this device had switched off before a reconnect stays off.
        if (this.phase === 'in-call') {
          if (!this.view.micOn && !muted.audio && this.local?.getAudioTracks().length) this.send('mute', { kind: 'audio', muted: true })
          if (!this.view.camOn && !muted.video && this.local?.getVideoTracks().length) this.send('mute', { kind: 'video', muted: true })
        }
        break
      }
      case 'admitted':
        for (const p of (d.participants ?? []) as Info[]) this.upsert(p)
        this.dispatch({ type: 'admitted' })
        if (!this.view.micOn && this.local?.getAudioTracks().length) this.send('mute', { kind: 'audio', muted: true })
        if (!this.view.camOn && this.local?.getVideoTracks().length) this.send('mute', { kind: 'video', muted: true })
        break
      case 'offer':
        await this.onOffer(d as unknown as { sdp: string; seq: number })
        break
      case 'candidate':
        if (this.pc?.remoteDescription) await this.pc.addIceCandidate(d as RTCIceCandidateInit).catch(() => {})
        else this.pending.push(d as RTCIceCandidateInit)
        break
      case 'participant_joined':
        this.upsert(d as unknown as Info)
        break
      case 'participant_left': {
        const id = d.participant as string
        const reason = d.reason as string
        const leaving = this.view.people.find((p) => p.id === id)
        this.view.people = this.view.people.filter((p) => p.id !== id)
        if (hostLeft(this.view.me, leaving, reason, this.view.people)) {
          this.dispatch({ type: 'end', reason: 'host_left' })
        } else if (leaving && reason === 'dropped') {
          this.say(`${displayName(leaving)} 网络中断，正在等待其重新连接`)
        } else if (leaving) {
          this.say(`${displayName(leaving)} 已离开`)
        }
        break
      }
      case 'lobby':
        this.setLobby((d.lobby ?? []) as Info[])
        break
      case 'mute':
        this.onMute(d as unknown as { participant: string; kind: 'audio' | 'video'; muted: boolean; by: string })
        break
      case 'kicked':
      case 'denied':
      case 'replaced':
        this.dispatch({ type: 'end', reason: finalMessageReason(type) ?? 'error' })
        break
      case 'ended':
        if (d.reason === 'server_shutdown') {
          // A restart, not an ending: the room resumes on the server's return.
          const ws = this.ws
          this.ws = null
          if (ws) {
            ws.onclose = null
            ws.close()
          }
          this.lost('服务器正在重启，正在重新连接')
          break
        }
        this.dispatch({ type: 'end', reason: endedReason(d.reason as string) })
        break
      case 'error': {
        const code = String(d.code)
        if (d.fatal) this.refused(code, errorText(code))
        else if (code !== 'answer.unexpected') this.say(errorText(code))
        break
      }
    }
  }

  private person(i: Info): Person {
    const old = this.view.people.find((p) => p.id === i.id)
    return {
      id: i.id,
      name: displayName(i),
      role: i.role,
      muted: { audio: !!i.muted?.audio, video: !!i.muted?.video },
      stream: old?.stream ?? this.adopt(i.id),
      quality: old?.quality ?? 'unknown',
    }
  }

  /** adopt hands over media that arrived before its participant was announced. */
  private adopt(id: string): MediaStream | null {
    const s = this.orphans.get(id) ?? null
    this.orphans.delete(id)
    return s
  }

  private upsert(i: Info) {
    const p = this.person(i)
    const at = this.view.people.findIndex((q) => q.id === i.id)
    if (at >= 0) this.view.people.splice(at, 1, p)
    else this.view.people.push(p)
  }

  private setLobby(list: Info[]) {
    this.view.lobby = list.map((i) => this.person(i))
    const ids = new Set(list.map((i) => i.id))
    for (const p of this.view.lobby) {
      if (!this.seenLobby.has(p.id)) this.opts.onLobbyArrival?.(p)
    }
    this.seenLobby = ids
  }

  private onMute(d: { participant: string; kind: 'audio' | 'video'; muted: boolean; by: string }) {
    const me = this.view.me
    if (me && d.participant === me.id) {
      if (d.by && d.by !== me.id && d.muted) {
        this.setTrack(d.kind, false)
        this.say(d.kind === 'audio' ? '主持人已将您静音' : '主持人已关闭您的摄像头')
      }
      return
    }
    const p = this.view.people.find((q) => q.id === d.participant)
    if (p) p.muted[d.kind] = d.muted
  }

  private setTrack(kind: 'audio' | 'video', on: boolean) {
    const tracks = kind === 'audio' ? this.local?.getAudioTracks() : this.local?.getVideoTracks()
    for (const t of tracks ?? []) t.enabled = on
    if (kind === 'audio') this.view.micOn = on
    else this.view.camOn = on
  }

  say(text: string) {
    this.view.notice = text
    clearTimeout(this.noticeTimer)
    this.noticeTimer = setTimeout(() => {
      if (this.view.notice === text) this.view.notice = ''
    }, 4000)
  }

  // ---- media ----

  private newPC(): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers })
    pc.onicecandidate = (e) => {
      if (pc !== this.pc) return
      if (e.candidate) this.send('candidate', { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid ?? undefined, sdpMLineIndex: e.candidate.sdpMLineIndex ?? undefined })
    }
    pc.ontrack = (e) => {
      if (pc !== this.pc) return
      const id = e.streams[0]?.id ?? e.track.id
      this.trackOwner.set(e.track.id, id)
      const p = this.view.people.find((q) => q.id === id)
      if (!p) {
        // The offer came before participant_joined: keep the media for them.
        const o = this.orphans.get(id) ?? new MediaStream()
        for (const old of o.getTracks()) if (old.kind === e.track.kind) o.removeTrack(old)
        o.addTrack(e.track)
        this.orphans.set(id, o)
        return
      }
      const s = p.stream ?? new MediaStream()
      for (const old of s.getTracks()) if (old.kind === e.track.kind) s.removeTrack(old)
      s.addTrack(e.track)
      p.stream = null
      p.stream = s
      e.track.onended = () => s.removeTrack(e.track)
    }
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return
      switch (pc.connectionState) {
        case 'connected':
          clearTimeout(this.iceTimer)
          this.iceTimer = undefined
          this.view.mediaTrouble = false
          break
        case 'disconnected':
          this.view.mediaTrouble = true
          clearTimeout(this.iceTimer)
          // Give ICE a moment to recover by itself, then restart it, then reconnect.
          this.iceTimer = setTimeout(() => {
            if (pc !== this.pc || pc.connectionState === 'connected') return
            this.send('ice_restart')
            this.iceTimer = setTimeout(() => {
              if (pc === this.pc && pc.connectionState !== 'connected') this.lost('媒体连接中断')
            }, 6000)
          }, 1500)
          break
        case 'failed':
          this.view.mediaTrouble = true
          clearTimeout(this.iceTimer)
          this.send('ice_restart')
          this.iceTimer = setTimeout(() => {
            if (pc === this.pc && pc.connectionState !== 'connected') this.lost('媒体连接失败')
          }, 6000)
          break
      }
    }
    return pc
  }

  private async onOffer(d: { sdp: string; seq: number }) {
    if (!this.pc) this.pc = this.newPC()
    const pc = this.pc
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: d.sdp })
      if (!this.attached && this.local) {
        // The server's first two sections are this participant's own audio and video.
        for (const t of this.local.getTracks()) pc.addTrack(t, this.local)
        this.attached = true
      }
      const answer = await pc.createAnswer()
      await pc.setLocalDescription(answer)
      if (pc !== this.pc) return
      this.send('answer', { sdp: answer.sdp, seq: d.seq })
      for (const c of this.pending.splice(0)) await pc.addIceCandidate(c).catch(() => {})
    } catch {
      if (pc === this.pc) this.lost('媒体协商失败')
    }
  }

  /** dropMedia closes the PeerConnection (a new socket gets a new one); local tracks stay. */
  private dropMedia() {
    clearTimeout(this.iceTimer)
    this.iceTimer = undefined
    this.view.mediaTrouble = false
    if (this.pc) {
      this.pc.onconnectionstatechange = null
      this.pc.close()
      this.pc = null
    }
    this.attached = false
    this.pending = []
    this.trackOwner.clear()
    this.orphans.clear()
    this.samples.clear()
    for (const p of this.view.people) p.stream = null
  }

  // ---- controls ----

  toggleMic() {
    const on = !this.view.micOn
    this.setTrack('audio', on)
    if (this.phase === 'in-call') this.send('mute', { kind: 'audio', muted: !on })
  }

  toggleCam() {
    const on = !this.view.camOn
    this.setTrack('video', on)
    if (this.phase === 'in-call') this.send('mute', { kind: 'video', muted: !on })
  }

  /** replaceVideo puts a new camera track in place of the old one (front/back switch). */
  async replaceVideo(track: MediaStreamTrack) {
    this.allLocalTracks.add(track)
    const s = this.local ?? new MediaStream()
    this.local = s
    for (const old of s.getVideoTracks()) {
      s.removeTrack(old)
      old.stop()
    }
    s.addTrack(track)
    track.enabled = this.view.camOn
    const sender = this.pc?.getTransceivers().find((t) => t.receiver.track.kind === 'video' && t.direction !== 'sendonly' && t.sender)?.sender
    if (sender) await sender.replaceTrack(track).catch(() => {})
  }

  admit(id: string) {
    this.send('admit', { participant: id })
  }
  deny(id: string) {
    this.send('deny', { participant: id })
  }
  kick(id: string) {
    this.send('kick', { participant: id })
  }
  muteOther(id: string) {
    this.send('mute', { participant: id, kind: 'audio', muted: true })
  }
  endForAll() {
    this.send('end')
  }

  leave() {
    this.send('leave')
    this.dispatch({ type: 'end', reason: 'left' })
  }

  /** dispose ends the call without a reason shown (the host page went away). */
  dispose() {
    if (this.phase !== 'ended') {
      this.send('leave')
      this.state.value = { ...this.state.value, phase: 'ended', reason: 'left' }
    }
    this.cleanup()
  }

  private finish(reason: EndReason) {
    this.cleanup()
    this.opts.onEnded?.(reason)
  }

  /** cleanup stops everything: socket, PeerConnection, timers and every local track. */
  private cleanup() {
    this.gen++
    clearTimeout(this.retryTimer)
    clearTimeout(this.welcomeTimer)
    clearInterval(this.statsTimer)
    clearInterval(this.heartTimer)
    globalThis.removeEventListener?.('online', this.onOnline)
    const ws = this.ws
    this.ws = null
    if (ws) {
      ws.onclose = null
      // Let a final "leave" go out before closing.
      setTimeout(() => ws.close(), 50)
    }
    this.dropMedia()
    stopStream(this.local)
    for (const t of this.allLocalTracks) t.stop()
    this.view.recording = false
    this.view.lobby = []
  }

  // ---- statistics ----

  private async sampleStats() {
    const pc = this.pc
    if (!pc || this.phase !== 'in-call') return
    let report: RTCStatsReport
    try {
      report = await pc.getStats()
    } catch {
      return
    }
    const at = this.now()
    let rtt: number | undefined
    let fractionLost: number | undefined
    const grades = new Map<string, Quality[]>()
    report.forEach((r: Record<string, unknown>) => {
      if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded' && typeof r.currentRoundTripTime === 'number') rtt = r.currentRoundTripTime
      if (r.type === 'remote-inbound-rtp' && typeof r.fractionLost === 'number') fractionLost = Math.max(fractionLost ?? 0, r.fractionLost)
    })
    report.forEach((r: Record<string, unknown>) => {
      if (r.type !== 'inbound-rtp') return
      const owner = this.trackOwner.get(String(r.trackIdentifier ?? ''))
      if (!owner) return
      const cur: InboundSample = {
        at,
        packetsReceived: Number(r.packetsReceived ?? 0),
        packetsLost: Number(r.packetsLost ?? 0),
        bytesReceived: Number(r.bytesReceived ?? 0),
        jitter: typeof r.jitter === 'number' ? r.jitter : undefined,
      }
      const id = String(r.id)
      const q = quality(this.samples.get(id), cur, rtt)
      this.samples.set(id, cur)
      // A muted track sends nothing on purpose: it says nothing of the network.
      const p = this.view.people.find((x) => x.id === owner)
      if (q === 'none' && p && p.muted[r.kind as 'audio' | 'video']) return
      grades.set(owner, [...(grades.get(owner) ?? []), q])
    })
    for (const p of this.view.people) {
      const g = grades.get(p.id)
      if (g) p.quality = worst(g)
    }
    this.view.selfQuality = uplinkQuality(fractionLost, rtt)
  }
}

/** signalURL is the signalling socket: the grant's (the instance hosting the room), else this page's origin. */
export function signalURL(roomId: string, fromGrant?: string, loc: { protocol: string; host: string } = globalThis.location): string {
  if (fromGrant) return fromGrant.replace(/^http/, 'ws')
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${loc.host}/api/v1/rooms/${encodeURIComponent(roomId)}/signal`
}

/**
 * checkNetwork is the pre-call connectivity test (/api/v1/rtc/check): a data
 * channel to the media server's own ports. 'ok' means media can flow
 * directly; 'blocked' that it cannot (TURN may still help during the call).
 */
export async function checkNetwork(client: Api, timeoutMs = 6000): Promise<'ok' | 'blocked' | 'error'> {
  if (typeof RTCPeerConnection !== 'function') return 'error'
  const pc = new RTCPeerConnection()
  try {
    const dc = pc.createDataChannel('check')
    const opened = new Promise<boolean>((resolve) => {
      dc.onopen = () => resolve(true)
      setTimeout(() => resolve(false), timeoutMs)
    })
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve()
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve()
      setTimeout(resolve, 2500)
    })
    const r = await client.POST('/api/v1/rtc/check', { body: { sdp: pc.localDescription?.sdp ?? '' } })
    if (!r.data) return 'error'
    await pc.setRemoteDescription({ type: 'answer', sdp: r.data.sdp })
    return (await opened) ? 'ok' : 'blocked'
  } catch {
    return 'error'
  } finally {
    pc.close()
  }
}
