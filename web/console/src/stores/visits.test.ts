import { describe, expect, it } from 'vitest'
import { bookingActions, byDay, weekOf, type VisitBooking } from './visits'

const booking = (id: number, starts: string, status: VisitBooking['status'] = 'pending') => ({ id, starts_at: starts, status }) as VisitBooking

describe('visit calendar', () => {
  it('a week runs Monday to Sunday, across months', () => {
    expect(weekOf(new Date(2026, 11, 3))).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'])
    expect(weekOf(new Date(2026, 11, 6))[0]).toBe('2026-11-30') // a Sunday belongs to the week before
    expect(weekOf(new Date(2026, 10, 30))[6]).toBe('2026-12-06')
  })
  it('puts bookings on their days, earliest first, and leaves out other days', () => {
    const days = weekOf(new Date(2026, 11, 3))
    const at = (d: number, h: number) => new Date(2026, 11, d, h).toISOString()
    const cal = byDay([booking(1, at(2, 14)), booking(2, at(2, 9)), booking(3, at(9, 9))], days)
    expect(cal['2026-12-02'].map((b) => b.id)).toEqual([2, 1])
    expect(Object.values(cal).flat()).toHaveLength(2)
  })
  it('offers approval on a pending booking and attendance once an approved visit has begun', () => {
    const now = Date.parse('2026-12-02T10:00:00+08:00')
    expect(bookingActions(booking(1, '2026-12-03T09:00:00+08:00'), now)).toEqual(['approve', 'refuse'])
    expect(bookingActions(booking(1, '2026-12-03T09:00:00+08:00', 'approved'), now)).toEqual([])
    expect(bookingActions(booking(1, '2026-12-02T09:00:00+08:00', 'approved'), now)).toEqual(['attended', 'no_show'])
    expect(bookingActions(booking(1, '2026-12-02T09:00:00+08:00', 'refused'), now)).toEqual([])
  })
})
