// 会见预约: the visit calendar of the centre (bookings of a week, approved or
// refused by staff), its slot templates, blocked dates and rules.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'

export type VisitBooking = Schemas['VisitBooking']
export type VisitTemplate = Schemas['VisitTemplate']
export type VisitRules = Schemas['VisitRules']
export type BlockedDate = Schemas['BlockedDate']
export type BookingAction = 'approve' | 'refuse' | 'attended' | 'no_show'

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

const pad = (n: number) => String(n).padStart(2, '0')
/** day is a date's YYYY-MM-DD in the browser's zone (the centre's). */
export const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

/** weekOf lists the seven days (Monday first) of the week holding d. */
export function weekOf(d: Date): string[] {
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7))
  return Array.from({ length: 7 }, (_, i) => day(new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + i)))
}

/** byDay puts bookings on the days of a calendar, earliest first; those of
 * other days are left out. */
export function byDay(bookings: readonly VisitBooking[], days: readonly string[]): Record<string, VisitBooking[]> {
  const out: Record<string, VisitBooking[]> = Object.fromEntries(days.map((d) => [d, []]))
  for (const b of bookings) out[day(new Date(b.starts_at))]?.push(b)
  for (const d of days) out[d].sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id - b.id)
  return out
}

/** bookingActions: a pending booking is approved or refused; an approved
 * one, once its time has come, is marked attended or a no-show. */
export function bookingActions(b: Pick<VisitBooking, 'status' | 'starts_at'>, now: number): BookingAction[] {
  if (b.status === 'pending') return ['approve', 'refuse']
  if (b.status === 'approved' && Date.parse(b.starts_at) <= now) return ['attended', 'no_show']
  return []
}

export const useVisits = defineStore('visits', () => {
  /** week reads every booking of the days from..to (all pages). */
  async function week(from: string, to: string, centreId?: number): Promise<VisitBooking[]> {
    const out: VisitBooking[] = []
    let cursor: string | undefined
    for (let i = 0; i < 20; i++) {
      const page = ok(await api.GET('/api/v1/visit-bookings', { params: { query: { from, to, centre_id: centreId, limit: 100, cursor } } }))
      out.push(...page.items)
      if (!page.next_cursor) break
      cursor = page.next_cursor
    }
    return out
  }

  async function act(id: number, action: BookingAction, reason = '') {
    const params = { path: { id } }
    switch (action) {
      case 'approve':
        return ok(await api.POST('/api/v1/visit-bookings/{id}/approve', { params }))
      case 'refuse':
        return ok(await api.POST('/api/v1/visit-bookings/{id}/refuse', { params, body: { reason } }))
      case 'attended':
      case 'no_show':
        return ok(await api.POST('/api/v1/visit-bookings/{id}/attendance', { params, body: { outcome: action } }))
    }
  }

  const path = (id: number) => ({ params: { path: { id } } })
  const templates = async (centre: number) => ok(await api.GET('/api/v1/detention-centers/{id}/visit-templates', path(centre))).templates
  const saveTemplates = async (centre: number, list: VisitTemplate[]) =>
    ok(await api.PUT('/api/v1/detention-centers/{id}/visit-templates', { ...path(centre), body: { templates: list.map(({ id: _, ...t }) => t) } })).templates
  const blocked = async (centre: number) => ok(await api.GET('/api/v1/detention-centers/{id}/blocked-dates', path(centre))).items
  const block = async (centre: number, date: string, reason: string) =>
    ok(await api.POST('/api/v1/detention-centers/{id}/blocked-dates', { ...path(centre), body: { date, reason } }))
  async function unblock(centre: number, date: string) {
    const r = await api.DELETE('/api/v1/detention-centers/{id}/blocked-dates/{date}', { params: { path: { id: centre, date } } })
    if (r.error) throw r.error
  }
  const rules = async (centre: number) => ok(await api.GET('/api/v1/detention-centers/{id}/visit-rules', path(centre)))
  const saveRules = async (centre: number, body: VisitRules) => ok(await api.PUT('/api/v1/detention-centers/{id}/visit-rules', { ...path(centre), body }))

  return { week, act, templates, saveTemplates, blocked, block, unblock, rules, saveRules }
})
