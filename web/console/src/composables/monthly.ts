// A month-keyed report (attendance, assessment, subsidies): the month picked,
// the report's three states, and its CSV.
import { toProblem, type Problem } from '@tiaojie/shared/problem'
import { ref, shallowRef, watch, type Ref } from 'vue'
import { showProblem } from '@/composables/problem'
import { download } from '@/composables/search'

export function thisMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`
}

export function useMonthly<T>(fetch: (month: string) => Promise<{ data?: T | string; error?: unknown }>, month: Ref<string> = ref(thisMonth())) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<Problem | null>(null)
  let generation = 0
  async function load() {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const r = await fetch(month.value)
      if (mine !== generation) return
      if (r.data === undefined || typeof r.data === 'string') throw r.error
      data.value = r.data
    } catch (e) {
      if (mine === generation) {
        error.value = toProblem(e)
        data.value = null
      }
    } finally {
      if (mine === generation) loading.value = false
    }
  }
  watch(month, load)
  return { month, data, loading, error, load }
}

/** saveCsv downloads a CSV answer or shows the server's problem. */
export async function saveCsv(r: Promise<{ data?: Blob; error?: unknown }>, name: string) {
  const { data, error } = await r
  if (!data) return showProblem(error)
  download(data, name)
}
