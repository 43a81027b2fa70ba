// Reference data every page names things with: stations and categories,
// loaded once per session.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'

export const useRefData = defineStore('refdata', () => {
  const stations = ref<Schemas['Org'][]>([])
  const categories = ref<{ code: string; label: string }[]>([])
  let loading: Promise<void> | null = null

  function load() {
    loading ??= (async () => {
      const [s, c] = await Promise.all([api.GET('/api/v1/stations'), api.GET('/api/v1/categories')])
      stations.value = s.data ?? []
      categories.value = c.data ?? []
      if (!s.data || !c.data) loading = null // try again next time
    })()
    return loading
  }

  const stationName = computed(() => (id: number | null | undefined) => stations.value.find((s) => s.id === id)?.name ?? (id ? `#${id}` : ''))
  const categoryLabel = computed(() => (code: string) => categories.value.find((c) => c.code === code)?.label ?? code)
  return { stations, categories, load, stationName, categoryLabel }
})
