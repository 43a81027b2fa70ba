// One ticking "now" for the SLA countdowns, shared by every component.
import { onUnmounted, ref } from 'vue'

export function useNow(everyMs = 1000) {
  const now = ref(Date.now())
  const t = setInterval(() => (now.value = Date.now()), everyMs)
  onUnmounted(() => clearInterval(t))
  return now
}

/** countdown renders the time left to a deadline (negative: overdue). */
export function countdown(dueAt: string | null | undefined, now: number): { text: string; overdue: boolean } | null {
  if (!dueAt) return null
  const ms = Date.parse(dueAt) - now
  const abs = Math.abs(ms)
  const h = Math.floor(abs / 3_600_000)
  const min = Math.floor((abs % 3_600_000) / 60_000)
  const s = Math.floor((abs % 60_000) / 1000)
  const text = h >= 24 ? `${Math.floor(h / 24)}天${h % 24}小时` : h > 0 ? `${h}小时${min}分` : `${min}分${String(s).padStart(2, '0')}秒`
  return { text, overdue: ms < 0 }
}

export function formatTime(t: string | null | undefined): string {
  if (!t) return ''
  const d = new Date(t)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}
