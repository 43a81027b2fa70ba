// A seconds countdown (the SMS code's resend button, "请 N 秒后再试").
import { computed, onScopeDispose, ref } from 'vue'

export function useCountdown(tick: (f: () => void, ms: number) => ReturnType<typeof setInterval> = setInterval) {
  const left = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  function stop() {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
  }

  /** start counts down from seconds (a new start replaces a running one). */
  function start(seconds: number) {
    stop()
    left.value = Math.max(0, Math.ceil(seconds))
    if (left.value === 0) return
    timer = tick(() => {
      left.value = Math.max(0, left.value - 1)
      if (left.value === 0) stop()
    }, 1000)
  }

  onScopeDispose(stop, true)
  return { left, running: computed(() => left.value > 0), start, stop }
}

/** retryAfterSeconds reads how long to wait from a 429 answer: the
 * Retry-After header (seconds or an HTTP date), else 60. */
export function retryAfterSeconds(res: Response | undefined, now = Date.now()): number {
  const h = res?.headers.get('Retry-After')
  if (h) {
    const n = Number(h)
    if (Number.isFinite(n)) return Math.max(1, Math.ceil(n))
    const at = Date.parse(h)
    if (!Number.isNaN(at)) return Math.max(1, Math.ceil((at - now) / 1000))
  }
  return 60
}

/** waitText is the line a person sees for a rate limit. */
export function waitText(seconds: number): string {
  return `请 ${seconds} 秒后再试`
}
