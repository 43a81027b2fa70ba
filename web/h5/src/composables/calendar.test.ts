import { describe, expect, it } from 'vitest'
import { localDate, weeksOf } from './calendar'

describe('booking calendar', () => {
  it('uses the Shanghai date', () => {
    expect(localDate('2026-12-01T17:00:00Z')).toBe('2026-12-02')
  })
  it('groups seats by day in Monday-first weeks, one mode at a time', () => {
    const slots = [
      { id: 1, starts_at: '2026-12-02T01:00:00Z', mode: 'remote', remaining: 2 }, // Wed 2 Dec
      { id: 2, starts_at: '2026-12-02T06:00:00Z', mode: 'remote', remaining: 1 },
      { id: 3, starts_at: '2026-12-08T01:00:00Z', mode: 'remote', remaining: 0 }, // Tue 8 Dec
      { id: 4, starts_at: '2026-12-03T01:00:00Z', mode: 'in_person', remaining: 6 },
    ]
    const w = weeksOf(slots, 'remote')
    expect(w).toHaveLength(2)
    expect(w[0]).toHaveLength(7)
    expect(w[0][0]).toBeNull() // Mon 30 Nov
    expect(w[0][2]).toEqual({ date: '2026-12-02', day: 2, seats: 3, slots: 2 })
    expect(w[0][3]).toBeNull() // the in-person slot is not counted
    expect(w[1][1]).toEqual({ date: '2026-12-08', day: 8, seats: 0, slots: 1 })
    expect(weeksOf([], 'remote')).toEqual([])
  })
})
