// Law firms and their lawyers, from the public lawyer directory (the only
// source of firm names every role may read), loaded once per session.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'

export type Profile = Schemas['Profile']

/** firmsOf lists the firms of the directory by ID, once each, by name. */
export function firmsOf(lawyers: Profile[]): { id: number; name: string }[] {
  const seen = new Map<number, string>()
  for (const l of lawyers) if (l.firm_id && !seen.has(l.firm_id)) seen.set(l.firm_id, l.firm_name)
  return [...seen.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

export const useFirms = defineStore('firms', () => {
  const lawyers = ref<Profile[]>([])
  let loading: Promise<void> | null = null
  function load() {
    loading ??= (async () => {
      const r = await api.GET('/api/v1/lawyers')
      if (!r.data) {
        loading = null
        throw r.error
      }
      lawyers.value = r.data
    })()
    return loading
  }
  const firms = computed(() => firmsOf(lawyers.value))
  const firmName = computed(() => (id: number | null | undefined) => firms.value.find((f) => f.id === id)?.name ?? (id ? `#${id}` : ''))
  return { lawyers, firms, load, firmName }
})
