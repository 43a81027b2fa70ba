// Names of the people a page mentions by ID: lawyers and mediators from the
// public directory (refdata), everyone else on staff (officers, reviewers,
// court clerks) from GET /api/v1/staff/names, asked in batches and kept for
// the session. Unknown IDs read "用户 N".
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api'
import { mx } from '@/messagesMore'
import { useRefData } from '@/stores/refdata'

/** missingIds is the IDs worth asking for: positive, unknown, not yet asked, once each. */
export function missingIds(ids: (number | null | undefined)[], known: ReadonlySet<number>): number[] {
  const out = new Set<number>()
  for (const id of ids) if (id && id > 0 && !known.has(id)) out.add(id)
  return [...out]
}

export const useNames = defineStore('names', () => {
  const names = ref(new Map<number, string>())
  const asked = new Set<number>()

  /** ensure asks the server for the names it does not know yet (≤100 at a time). */
  async function ensure(ids: (number | null | undefined)[]) {
    const want = missingIds(ids, asked)
    for (let i = 0; i < want.length; i += 100) {
      const batch = want.slice(i, i + 100)
      batch.forEach((id) => asked.add(id))
      const r = await api.GET('/api/v1/staff/names', { params: { query: { ids: batch.join(',') } } })
      if (!r.data) {
        batch.forEach((id) => asked.delete(id)) // try again next time
        continue
      }
      const next = new Map(names.value)
      for (const p of r.data.items) next.set(p.id, p.name)
      names.value = next
    }
  }

  /** remember keeps names learnt elsewhere (a picker's directory) so that no one asks for them again. */
  function remember(people: { id: number; name: string }[]) {
    if (!people.length) return
    const next = new Map(names.value)
    for (const p of people) {
      next.set(p.id, p.name)
      asked.add(p.id)
    }
    names.value = next
  }

  /** name reads an ID as a person's name. */
  function name(id: number | null | undefined): string {
    if (!id) return ''
    return names.value.get(id) ?? useRefData().personName(id, mx.names.user)
  }
  /** known reads an ID as a name only when one is known ('' else). */
  function known(id: number | null | undefined): string {
    if (!id) return ''
    return names.value.get(id) ?? (useRefData().people.get(id) || '')
  }
  return { names, ensure, remember, name, known }
})
