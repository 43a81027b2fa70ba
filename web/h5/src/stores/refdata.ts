// Categories and stations, loaded once.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Schemas } from '@tiaojie/shared/api'
import { api } from '@/api'

export const useRefData = defineStore('refdata', () => {
  const categories = ref<{ code: string; label: string }[]>([])
  const stations = ref<Schemas['Org'][]>([])
  let loading: Promise<void> | null = null

  function load() {
    loading ??= (async () => {
      const [c, s] = await Promise.all([api.GET('/api/v1/categories'), api.GET('/api/v1/stations')])
      categories.value = c.data ?? []
      stations.value = s.data ?? []
      if (!c.data || !s.data) loading = null
    })()
    return loading
  }

  const categoryLabel = (code: string) => categories.value.find((c) => c.code === code)?.label ?? code
  const stationName = (id: number) => stations.value.find((s) => s.id === id)?.name ?? ''
  return { categories, stations, load, categoryLabel, stationName }
})
