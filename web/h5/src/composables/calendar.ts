// The booking calendar: slots grouped by local day (Asia/Shanghai) with the
// seats still free, laid out in weeks starting on Monday.
export interface SlotLike {
  id: number
  starts_at: string
  mode: string
  remaining: number
}

export interface Day {
  date: string // YYYY-MM-DD
  day: number
  seats: number
  slots: number
}

const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** localDate is the Asia/Shanghai date of an instant. */
export function localDate(iso: string | Date): string {
  return fmt.format(typeof iso === 'string' ? new Date(iso) : iso)
}

/** weeksOf lays the days from the first slot's week to the last slot's
 * week out Monday first; days outside are null. */
export function weeksOf(slots: SlotLike[], mode: string): (Day | null)[][] {
  const byDay = new Map<string, Day>()
  for (const s of slots) {
    if (s.mode !== mode) continue
    const d = localDate(s.starts_at)
    const e = byDay.get(d) ?? { date: d, day: Number(d.slice(8)), seats: 0, slots: 0 }
    e.seats += s.remaining
    e.slots++
    byDay.set(d, e)
  }
  const dates = [...byDay.keys()].sort()
  if (!dates.length) return []
  const start = new Date(`${dates[0]}T00:00:00Z`)
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7))
  const end = new Date(`${dates[dates.length - 1]}T00:00:00Z`)
  const weeks: (Day | null)[][] = []
  for (const d = start; d <= end || weeks[weeks.length - 1]?.length !== 7; d.setUTCDate(d.getUTCDate() + 1)) {
    if (!weeks.length || weeks[weeks.length - 1].length === 7) weeks.push([])
    const key = d.toISOString().slice(0, 10)
    weeks[weeks.length - 1].push(byDay.get(key) ?? null)
  }
  return weeks
}
