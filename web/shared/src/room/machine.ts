// The call's state machine, free of the browser: RoomView feeds it what the
// signalling socket, the PeerConnection and the person do, and shows what it
// answers. Unit tests drive it directly (machine.test.ts).
//
//   check ──join──▶ connecting ──welcome(lobby)──▶ lobby ──admitted──▶ in-call
//                        └──────welcome(admitted)──────────────────────▶ in-call
//   connecting | lobby | in-call ──socket lost / ICE failed──▶ reconnecting
//   reconnecting ──welcome──▶ lobby | in-call  (within the server's grace
//                                               period: in-call, no lobby)
//   any ──ended / kicked / denied / replaced / host left / leave / fatal──▶ ended

export type Phase = 'check' | 'connecting' | 'lobby' | 'in-call' | 'reconnecting' | 'ended'

/** Why a call ended; endText says it in Chinese. */
export type EndReason =
  | 'host_ended' // 主持人结束
  | 'kicked' // 被移出
  | 'denied' // 未获准入
  | 'replaced' // 在其他设备进入
  | 'host_left' // 主持人离开
  | 'left' // 已离开 (this person left)
  | 'window_closed'
  | 'empty'
  | 'server_shutdown'
  | 'room_ended' // the room had ended before this person (re)joined
  | 'network' // reconnection gave up
  | 'error' // a refusal the server explained (message holds it)

export interface CallState {
  phase: Phase
  reason?: EndReason
  /** Chinese detail for the end screen or the connecting screen. */
  message?: string
  /** Reconnection attempts since the last good connection. */
  attempts: number
  /** When the current outage began (ms), for giving up. */
  lostAt?: number
  /** Whether the person has been admitted in this session (survives a reconnect). */
  admitted: boolean
}

export type CallEvent =
  | { type: 'join' }
  | { type: 'welcome'; state: 'lobby' | 'admitted' }
  | { type: 'admitted' }
  | { type: 'lost'; at: number; why?: string } // socket closed or ICE failed without a final message
  | { type: 'retry' } // a reconnection attempt starts
  | { type: 'end'; reason: EndReason; message?: string }
  | { type: 'fatal'; code: string; message?: string } // a fatal "error" message or a refused join
  | { type: 'rejoin' } // "重新进入" from the end screen

export const initialState: CallState = { phase: 'check', attempts: 0, admitted: false }

/** How long reconnection keeps trying before the end screen (the server's default grace period is 30 s). */
export const giveUpAfterMs = 60_000

/** Delay before reconnection attempt n (0-based): at once, then 1, 2, 4 s, at most 5 s. */
export function retryDelay(n: number): number {
  if (n <= 0) return 0
  return Math.min(5000, 1000 * 2 ** (n - 1))
}

const live: Phase[] = ['connecting', 'lobby', 'in-call', 'reconnecting']

/** Error codes after which joining again cannot help. */
const finalCodes: Record<string, EndReason> = {
  'room.ended': 'room_ended',
  'room.removed': 'kicked',
  'room.not_invited': 'error',
  'room.not_found': 'error',
  'room.closed': 'window_closed',
  'room.not_open': 'error',
  'room.outside_window': 'error',
  'room.full': 'error',
}

export function reduce(s: CallState, e: CallEvent): CallState {
  switch (e.type) {
    case 'join':
      if (s.phase !== 'check') return s
      return { phase: 'connecting', attempts: 0, admitted: false }
    case 'rejoin':
      if (s.phase !== 'ended') return s
      return { phase: 'check', attempts: 0, admitted: false }
    case 'welcome':
      if (s.phase !== 'connecting' && s.phase !== 'reconnecting') return s
      if (e.state === 'admitted') return { phase: 'in-call', attempts: 0, admitted: true }
      return { phase: 'lobby', attempts: 0, admitted: false }
    case 'admitted':
      if (s.phase !== 'lobby') return s
      return { phase: 'in-call', attempts: 0, admitted: true }
    case 'lost':
      if (!live.includes(s.phase)) return s
      if (s.phase === 'reconnecting') {
        if (s.lostAt !== undefined && e.at - s.lostAt > giveUpAfterMs) {
          return { phase: 'ended', reason: 'network', attempts: s.attempts, admitted: s.admitted, message: endText('network') }
        }
        return s
      }
      return { phase: 'reconnecting', attempts: 0, lostAt: e.at, admitted: s.admitted, message: e.why }
    case 'retry':
      if (s.phase !== 'reconnecting') return s
      return { ...s, attempts: s.attempts + 1 }
    case 'end':
      if (s.phase === 'ended' || s.phase === 'check') return s
      return { phase: 'ended', reason: e.reason, message: e.message ?? endText(e.reason), attempts: s.attempts, admitted: s.admitted }
    case 'fatal': {
      if (s.phase === 'ended') return s
      const reason = finalCodes[e.code] ?? 'error'
      const message = e.message ?? errorText(e.code)
      // A refusal while reconnecting that is not final (a used token, a
      // server restarting) is retried by the caller; only final codes end.
      if (s.phase === 'reconnecting' && !(e.code in finalCodes)) return s
      return { phase: 'ended', reason, message, attempts: s.attempts, admitted: s.admitted }
    }
  }
}

/** Is this phase one where the call's media and socket should be running? */
export function isLive(p: Phase): boolean {
  return live.includes(p)
}

export const endTexts: Record<EndReason, string> = {
  host_ended: '主持人已结束本次调解',
  kicked: '您已被主持人移出本次调解',
  denied: '主持人未允许您进入',
  replaced: '您已在其他设备上进入调解室，本设备已退出',
  host_left: '主持人已离开调解室',
  left: '您已离开调解室',
  window_closed: '调解时间已到',
  empty: '调解室已无人，已关闭',
  server_shutdown: '服务器维护中，请稍后重新进入',
  room_ended: '本次调解已结束',
  network: '网络连接中断，无法重新连接',
  error: '无法进入调解室',
}

/** Short titles for the end screen. */
export const endTitles: Record<EndReason, string> = {
  host_ended: '主持人结束',
  kicked: '被移出',
  denied: '未获准入',
  replaced: '在其他设备进入',
  host_left: '主持人离开',
  left: '已离开',
  window_closed: '调解时间已到',
  empty: '调解室已关闭',
  server_shutdown: '服务器维护',
  room_ended: '调解已结束',
  network: '网络中断',
  error: '无法进入',
}

export function endText(r: EndReason): string {
  return endTexts[r]
}

/** The end reason of a server "ended" message. */
export function endedReason(serverReason: string | undefined): EndReason {
  switch (serverReason) {
    case 'host_ended':
    case 'window_closed':
    case 'empty':
    case 'server_shutdown':
      return serverReason
    default:
      return 'room_ended'
  }
}

const errorTexts: Record<string, string> = {
  'room.token_invalid': '进入凭证无效或已过期，请重新进入',
  'room.token_used': '进入凭证已使用，请重新进入',
  'room.not_invited': '您未受邀参加本次调解',
  'room.not_found': '调解室不存在或您未受邀参加',
  'room.not_open': '调解尚未开始',
  'room.outside_window': '当前不在调解时间内',
  'room.closed': '调解时间已过',
  'room.ended': '本次调解已结束',
  'room.full': '调解室人数已满',
  'room.removed': '您已被移出本次调解',
  'room.shutting_down': '服务器维护中，请稍后再试',
  'lobby.waiting': '请等待主持人允许进入',
  'ice.failed': '媒体连接失败',
  'join.timeout': '进入超时，请重试',
  'rtc.unavailable': '本服务器未开通视频调解',
}

/** errorText says a signalling or API error code in Chinese. */
export function errorText(code: string, fallback?: string): string {
  return errorTexts[code] ?? fallback ?? '连接出错（' + code + '）'
}

/** The end reason of a final message on the socket (kicked, denied, replaced). */
export function finalMessageReason(type: string): EndReason | null {
  switch (type) {
    case 'kicked':
      return 'kicked'
    case 'denied':
      return 'denied'
    case 'replaced':
      return 'replaced'
    default:
      return null
  }
}

export interface PersonLike {
  id: string
  role: string
}

/**
 * hostLeft says whether a participant_left message means the call is over
 * for a non-host: the last host left on purpose (not a drop, which may come
 * back within the grace period).
 */
export function hostLeft(me: PersonLike | null, leaving: PersonLike | undefined, reason: string, remaining: PersonLike[]): boolean {
  if (!me || me.role === 'host' || !leaving || leaving.role !== 'host') return false
  if (reason !== 'left') return false
  return !remaining.some((p) => p.role === 'host' && p.id !== leaving.id)
}
