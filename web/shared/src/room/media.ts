// Camera and microphone: opening them with Chinese guidance when the browser
// refuses, and the network-quality mark computed from getStats().

export type MediaProblem = 'insecure' | 'unsupported' | 'denied' | 'no-device' | 'busy' | 'other'

export interface MediaGuidance {
  problem: MediaProblem
  title: string
  text: string
}

const guidance: Record<MediaProblem, Omit<MediaGuidance, 'problem'>> = {
  insecure: {
    title: '请使用安全连接打开',
    text: '浏览器只允许在 HTTPS（或本机地址）页面使用摄像头和麦克风。请使用以 https:// 开头的地址重新打开本页面，或从通知中的链接进入。',
  },
  unsupported: {
    title: '当前浏览器不支持视频通话',
    text: '请使用最新版微信、Chrome、Safari 或系统自带浏览器打开本页面。',
  },
  denied: {
    title: '未获得摄像头和麦克风权限',
    text: '请在浏览器地址栏或手机“设置 → 应用 → 浏览器/微信 → 权限”中允许使用摄像头和麦克风，然后点击“重新检测”。',
  },
  'no-device': {
    title: '未找到摄像头或麦克风',
    text: '请连接摄像头和麦克风（或使用手机打开），然后点击“重新检测”。没有摄像头时也可以仅用声音进入。',
  },
  busy: {
    title: '摄像头或麦克风被占用',
    text: '请关闭正在使用摄像头的其他应用或页面（如其他视频通话），然后点击“重新检测”。',
  },
  other: {
    title: '无法打开摄像头或麦克风',
    text: '请检查设备连接和浏览器权限后点击“重新检测”。',
  },
}

export function guide(problem: MediaProblem): MediaGuidance {
  return { problem, ...guidance[problem] }
}

/** Can this page use the camera at all? Never throws, also on plain http. */
export function mediaAvailability(w: { isSecureContext?: boolean; navigator?: Navigator } = globalThis as never): MediaGuidance | null {
  if (w.isSecureContext === false) return guide('insecure')
  const md = w.navigator?.mediaDevices
  if (!md || typeof md.getUserMedia !== 'function') return guide(w.isSecureContext ? 'unsupported' : 'insecure')
  if (typeof globalThis.RTCPeerConnection !== 'function') return guide('unsupported')
  return null
}

/** classify turns a getUserMedia rejection into guidance. */
export function classify(err: unknown): MediaGuidance {
  const name = (err as { name?: string } | null)?.name ?? ''
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return guide('denied')
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return guide('no-device')
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return guide('busy')
    default:
      return guide('other')
  }
}

export interface MediaChoice {
  audioId?: string
  videoId?: string
  facing?: 'user' | 'environment'
  video?: boolean
}

export function constraints(c: MediaChoice): MediaStreamConstraints {
  const video: MediaTrackConstraints | false =
    c.video === false
      ? false
      : {
          width: { ideal: 640 },
          height: { ideal: 480 },
          frameRate: { ideal: 24, max: 30 },
          ...(c.videoId ? { deviceId: { exact: c.videoId } } : { facingMode: c.facing ?? 'user' }),
        }
  return {
    audio: c.audioId ? { deviceId: { exact: c.audioId }, echoCancellation: true, noiseSuppression: true } : { echoCancellation: true, noiseSuppression: true },
    video,
  }
}

/**
 * openMedia opens camera and microphone; when the camera alone is missing
 * or refused it falls back to the microphone, so a phone without a working
 * camera can still speak. The guidance says what went wrong, if anything.
 */
export async function openMedia(c: MediaChoice): Promise<{ stream: MediaStream | null; problem: MediaGuidance | null; audioOnly: boolean }> {
  const unavailable = mediaAvailability()
  if (unavailable) return { stream: null, problem: unavailable, audioOnly: false }
  try {
    return { stream: await navigator.mediaDevices.getUserMedia(constraints(c)), problem: null, audioOnly: c.video === false }
  } catch (err) {
    const first = classify(err)
    if (c.video === false) return { stream: null, problem: first, audioOnly: false }
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints({ ...c, video: false }))
      return { stream, problem: first, audioOnly: true }
    } catch {
      return { stream: null, problem: first, audioOnly: false }
    }
  }
}

export function stopStream(s: MediaStream | null | undefined) {
  for (const t of s?.getTracks() ?? []) t.stop()
}

// ---- network quality ----

export type Quality = 'good' | 'fair' | 'poor' | 'none' | 'unknown'

export const qualityText: Record<Quality, string> = { good: '网络良好', fair: '网络一般', poor: '网络较差', none: '无数据', unknown: '检测中' }

/** Counters of one inbound stream at one moment. */
export interface InboundSample {
  at: number // ms
  packetsReceived: number
  packetsLost: number
  bytesReceived: number
  jitter?: number // s
}

/**
 * quality grades one inbound stream between two samples, with the
 * connection's round trip time (s) when known: loss and jitter from the
 * receiver's counters, nothing received at all is 'none'.
 */
export function quality(prev: InboundSample | undefined, cur: InboundSample, rtt?: number): Quality {
  if (!prev || cur.at <= prev.at) return 'unknown'
  const got = cur.packetsReceived - prev.packetsReceived
  const lost = Math.max(0, cur.packetsLost - prev.packetsLost)
  if (got <= 0 && cur.bytesReceived <= prev.bytesReceived) return 'none'
  const loss = lost / Math.max(1, got + lost)
  const jitter = cur.jitter ?? 0
  const r = rtt ?? 0
  if (loss > 0.1 || r > 0.8 || jitter > 0.1) return 'poor'
  if (loss > 0.03 || r > 0.3 || jitter > 0.05) return 'fair'
  return 'good'
}

/** uplinkQuality grades what this device sends, from the remote side's reports (fractionLost 0..1). */
export function uplinkQuality(fractionLost: number | undefined, rtt: number | undefined): Quality {
  if (fractionLost === undefined && rtt === undefined) return 'unknown'
  const loss = fractionLost ?? 0
  const r = rtt ?? 0
  if (loss > 0.1 || r > 0.8) return 'poor'
  if (loss > 0.03 || r > 0.3) return 'fair'
  return 'good'
}

/** worst of several grades ('unknown' and 'none' count as no information unless alone). */
export function worst(qs: Quality[]): Quality {
  const order: Quality[] = ['poor', 'fair', 'good']
  for (const q of order) if (qs.includes(q)) return q
  if (qs.includes('none')) return 'none'
  return 'unknown'
}
