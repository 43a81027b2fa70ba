// A list paged by the API's cursors, with the three states every list shows:
// loading, error (the server's problem, with a retry) and empty.
import type { Problem } from '@tiaojie/shared/problem'
import { toProblem } from '@tiaojie/shared/problem'
import { ref, shallowRef, type Ref } from 'vue'

export interface Page<T> {
  items: T[]
  next_cursor?: string | null
}

export type PageFetcher<T> = (cursor: string | undefined) => Promise<{ data?: Page<T>; error?: unknown }>

export function useCursorList<T>(fetchPage: PageFetcher<T>) {
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)
  const error = shallowRef<Problem | null>(null)
  const next = ref<string | null>(null)
  let generation = 0

  // quiet: a live update — no loading mask over rows someone may be clicking.
  async function load(cursor: string | undefined, quiet = false) {
    const mine = ++generation
    loading.value = !quiet
    error.value = null
    try {
      const { data, error: err } = await fetchPage(cursor)
      if (mine !== generation) return // a newer load (filters changed) won
      if (!data) {
        error.value = toProblem(err)
        return
      }
      items.value = cursor ? [...items.value, ...data.items] : data.items
      next.value = data.next_cursor ?? null
    } catch (e) {
      if (mine === generation) error.value = toProblem(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  return {
    items,
    loading,
    error,
    next,
    reload: () => load(undefined),
    /** refresh reloads the first page without the loading state (live updates). */
    refresh: () => load(undefined, true),
    more: () => (next.value ? load(next.value) : Promise.resolve()),
  }
}
