// What staff add to a case besides its record: self-chosen tags, the
// judicial confirmation (hand-over to a court and the court's ruling) and the
// return visit (回访) with the citizen's satisfaction heard by phone or visit.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api'

export type VocabularyTag = Schemas['VocabularyTag']
export type Confirmation = Schemas['JudicialConfirmation']
export interface ReturnVisit {
  answered: boolean
  stars: number
  channel: 'phone' | 'visit'
  comment: string
  note: string
}

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

/** tagSuggestions lists the vocabulary's names the case does not have yet. */
export function tagSuggestions(vocabulary: { name: string }[], have: readonly string[]): string[] {
  return [...new Set(vocabulary.map((v) => v.name))].filter((n) => !have.includes(n))
}

/** followUpBody is the follow_up transition's body: the satisfaction only
 * when the citizen answered (the API refuses an empty one). */
export function followUpBody(v: ReturnVisit) {
  const body: { action: 'follow_up'; note: string; satisfaction?: { stars: number; channel: 'phone' | 'visit'; comment?: string } } = { action: 'follow_up', note: v.note.trim() }
  if (v.answered) body.satisfaction = { stars: v.stars, channel: v.channel, ...(v.comment.trim() ? { comment: v.comment.trim() } : {}) }
  return body
}

export const useCaseExtras = defineStore('caseExtras', () => {
  const courts = ref<Schemas['Org'][]>([])
  const path = (id: number) => ({ params: { path: { id } } })
  return {
    courts,
    async loadCourts() {
      if (courts.value.length) return
      courts.value = ok(await api.GET('/api/v1/partner-units')).items
    },
    vocabulary: async (stationId: number) => ok(await api.GET('/api/v1/tag-vocabulary', { params: { query: { station_id: stationId } } })).items,
    addVocabulary: async (orgId: number, name: string) => ok(await api.POST('/api/v1/tag-vocabulary', { body: { org_id: orgId, name } })),
    removeVocabulary: async (id: number) => {
      const r = await api.DELETE('/api/v1/tag-vocabulary/{id}', path(id))
      if (r.error) throw r.error
    },
    addTag: async (id: number, tag: string) => ok(await api.POST('/api/v1/requests/{id}/tags', { ...path(id), body: { tag } })).tags,
    removeTag: async (id: number, tag: string) => ok(await api.DELETE('/api/v1/requests/{id}/tags/{tag}', { params: { path: { id, tag } } })).tags,
    requestConfirmation: async (id: number, courtId: number, note: string) =>
      ok(await api.POST('/api/v1/requests/{id}/judicial-confirmation', { ...path(id), body: { court_id: courtId, note } })),
    decideConfirmation: async (id: number, body: { result: 'confirmed' | 'refused'; decided_on: string; document_no: string; attachment_id?: number }) =>
      ok(await api.POST('/api/v1/requests/{id}/judicial-confirmation/decision', { ...path(id), body })),
    followUp: async (id: number, v: ReturnVisit) => ok(await api.POST('/api/v1/requests/{id}/transition', { ...path(id), body: followUpBody(v) })),
  }
})
