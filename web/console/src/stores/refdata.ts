// Reference data every page names things with: stations and categories,
// loaded once per session.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'

export const useRefData = defineStore('refdata', () => {
  const stations = ref<Schemas['Org'][]>([])
  const categories = ref<{ code: string; label: string }[]>([])
  /** Lawyers and mediators by ID, from the public directory: the only staff
   * names a non-admin may read (police have no directory). */
  const people = ref(new Map<number, string>())
  let loading: Promise<void> | null = null

  function load() {
    loading ??= (async () => {
      const [s, c, l, md] = await Promise.all([
        api.GET('/api/v1/stations'),
        api.GET('/api/v1/categories'),
        api.GET('/api/v1/lawyers'),
        api.GET('/api/v1/mediators'),
      ])
      stations.value = s.data ?? []
      categories.value = c.data ?? []
      people.value = new Map([...(l.data ?? []), ...(md.data ?? [])].map((p) => [p.id, p.name]))
      if (!s.data || !c.data) loading = null // try again next time
    })()
    return loading
  }

  const stationName = computed(() => (id: number | null | undefined) => stations.value.find((s) => s.id === id)?.name ?? (id ? `#${id}` : ''))
  const categoryLabel = computed(() => (code: string) => categories.value.find((c) => c.code === code)?.label ?? code)
  const personName = computed(() => (id: number | null | undefined, fallback: string) => (id ? (people.value.get(id) ?? `${fallback} ${id}`) : ''))
  return { stations, categories, people, load, stationName, categoryLabel, personName }
})
