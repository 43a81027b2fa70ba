// The people a form may name (an officer, a social worker, meeting
// attendees): GET /api/v1/staff/people by unit and role, the caller's
// district only. Each unit-and-role list is asked once per session; the
// names it brings are kept in the names store too, so that pages show them.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'
import { useNames } from '@/stores/names'

export type StaffPerson = Schemas['StaffPerson']
export type StaffRole = Schemas['Role']

/** mergePeople joins several units' lists: each person once, by unit name then name. */
export function mergePeople(lists: StaffPerson[][]): StaffPerson[] {
  const byId = new Map<number, StaffPerson>()
  for (const l of lists) for (const p of l) if (!byId.has(p.id)) byId.set(p.id, p)
  return [...byId.values()].sort((a, b) => a.unit_name.localeCompare(b.unit_name, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN') || a.id - b.id)
}

/** personLabel is how a picker shows someone: "李警官（双凤桥派出所）". */
export function personLabel(p: Pick<StaffPerson, 'name' | 'unit_name'>): string {
  return p.unit_name ? `${p.name}（${p.unit_name}）` : p.name
}

/** matchesPerson is the picker's filter: the name, the unit or the ID contains the text. */
export function matchesPerson(p: StaffPerson, text: string): boolean {
  const q = text.trim()
  return !q || p.name.includes(q) || p.unit_name.includes(q) || String(p.id) === q
}

export const usePeople = defineStore('people', () => {
  const cache = new Map<string, Promise<StaffPerson[]>>()

  function one(unit: number, role?: StaffRole): Promise<StaffPerson[]> {
    const key = `${unit}|${role ?? ''}`
    let got = cache.get(key)
    if (!got) {
      got = (async () => {
        const r = await api.GET('/api/v1/staff/people', { params: { query: { unit_id: unit || undefined, role } } })
        if (r.data === undefined) throw r.error
        useNames().remember(r.data.items)
        return r.data.items
      })()
      got.catch(() => cache.delete(key)) // ask again next time
      cache.set(key, got)
    }
    return got
  }

  /** list is the staff of these units (none: the whole district), optionally of one role. */
  async function list(units: (number | null | undefined)[] = [], role?: StaffRole): Promise<StaffPerson[]> {
    const wanted = [...new Set(units.filter((u): u is number => !!u && u > 0))]
    const lists = await Promise.all((wanted.length ? wanted : [0]).map((u) => one(u, role)))
    return mergePeople(lists)
  }
  return { list }
})
