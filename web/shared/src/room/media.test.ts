import { describe, expect, it } from 'vitest'
import { classify, constraints, mediaAvailability, quality, uplinkQuality, worst } from './media'
import { signalURL } from './call'

describe('camera and microphone guidance', () => {
  it('says to use HTTPS on a plain http page, without touching mediaDevices', () => {
    expect(mediaAvailability({ isSecureContext: false, navigator: {} as Navigator })?.problem).toBe('insecure')
    expect(mediaAvailability({ isSecureContext: false })?.title).toContain('安全连接')
  })
  it('classifies getUserMedia failures in Chinese', () => {
    expect(classify({ name: 'NotAllowedError' }).problem).toBe('denied')
    expect(classify({ name: 'NotAllowedError' }).text).toContain('允许')
    expect(classify({ name: 'NotFoundError' }).problem).toBe('no-device')
    expect(classify({ name: 'NotReadableError' }).problem).toBe('busy')
    expect(classify(new Error('x')).problem).toBe('other')
  })
  it('asks for the chosen device, else the facing camera', () => {
    const c = constraints({ videoId: 'cam2', audioId: 'mic1' })
    expect((c.video as MediaTrackConstraints).deviceId).toEqual({ exact: 'cam2' })
    expect((constraints({ facing: 'environment' }).video as MediaTrackConstraints).facingMode).toBe('environment')
    expect(constraints({ video: false }).video).toBe(false)
  })
})

describe('network quality', () => {
  const s = (at: number, got: number, lost: number, bytes = got * 1000, jitter = 0.01) => ({ at, packetsReceived: got, packetsLost: lost, bytesReceived: bytes, jitter })
  it('grades loss, jitter and round trip', () => {
    expect(quality(undefined, s(0, 10, 0))).toBe('unknown')
    expect(quality(s(0, 0, 0), s(2000, 100, 0), 0.05)).toBe('good')
    expect(quality(s(0, 0, 0), s(2000, 95, 5), 0.05)).toBe('fair')
    expect(quality(s(0, 0, 0), s(2000, 80, 20), 0.05)).toBe('poor')
    expect(quality(s(0, 0, 0), s(2000, 100, 0), 1.2)).toBe('poor')
    expect(quality(s(0, 100, 0), s(2000, 100, 0, 100_000))).toBe('none')
  })
  it('grades the uplink and takes the worst', () => {
    expect(uplinkQuality(undefined, undefined)).toBe('unknown')
    expect(uplinkQuality(0.01, 0.02)).toBe('good')
    expect(uplinkQuality(0.2, 0.02)).toBe('poor')
    expect(worst(['good', 'fair'])).toBe('fair')
    expect(worst(['good', 'unknown'])).toBe('good')
    expect(worst(['none'])).toBe('none')
  })
})

describe('the signalling URL', () => {
  it('follows the grant, else the page', () => {
    expect(signalURL('r1', 'https://b.example/api/v1/rooms/r1/signal')).toBe('wss://b.example/api/v1/rooms/r1/signal')
    expect(signalURL('r 1', undefined, { protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/api/v1/rooms/r%201/signal')
  })
})
