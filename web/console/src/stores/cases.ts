// One case and what staff do to it; each call answers the new state or
// throws the server's problem.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'

/** A staff member's view of a case: the record is the full case file (the
 * filer's FilerRecord view, without reviews or the risk score, is the H5's). */
export type StaffRecord = Schemas['Record']
export type CaseDetail = Omit<Schemas['RequestDetail'], 'record'> & { record: StaffRecord | null }

/** staffView narrows the answer to the staff shape the server sends staff. */
function staffView(d: Schemas['RequestDetail']): CaseDetail {
  const r = d.record
  return { ...d, record: r && 'review' in r ? r : null }
}
export type RecordInput = Schemas['RecordInput']
export type Classification = NonNullable<Schemas['Request']['classification']>
export type TransitionAction = 'start' | 'agree' | 'fail' | 'refer' | 'close' | 'follow_up'

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

export const useCases = defineStore('cases', () => {
  const path = (id: number) => ({ params: { path: { id } } })
  return {
    get: async (id: number) => staffView(ok(await api.GET('/api/v1/requests/{id}', path(id)))),
    screen: async (id: number, body: { classification?: Classification; reject?: boolean; reason?: string }) =>
      ok(await api.POST('/api/v1/requests/{id}/screen', { ...path(id), body })),
    transition: async (id: number, action: TransitionAction, note: string) =>
      ok(await api.POST('/api/v1/requests/{id}/transition', { ...path(id), body: { action, note } })),
    saveRecord: async (id: number, body: RecordInput) => ok(await api.POST('/api/v1/requests/{id}/records', { ...path(id), body })),
    submitRecord: async (id: number) => ok(await api.POST('/api/v1/requests/{id}/records/submit', path(id))),
    approve: async (id: number, decision: 'approve' | 'return', comment: string) =>
      ok(await api.POST('/api/v1/requests/{id}/approve', { ...path(id), body: { decision, comment } })),
    /** attachment fetches a file with the bearer token and answers a blob: URL. */
    attachment: async (id: number, attachmentId: number) => {
      const r = await api.GET('/api/v1/requests/{id}/attachments/{attachment_id}', {
        params: { path: { id, attachment_id: attachmentId } },
        parseAs: 'blob',
      })
      return URL.createObjectURL(ok(r))
    },
  }
})

/** transitionsFor lists the moves a case's status allows (the state machine
 * in domain/mediation); the server still checks the caller's part in it. */
export function transitionsFor(status: string): TransitionAction[] {
  switch (status) {
    case 'assigned':
      return ['start']
    case 'in_mediation':
      return ['agree', 'fail', 'refer']
    case 'failed':
      return ['refer', 'close']
    case 'agreed':
    case 'referred_to_litigation':
      return ['close']
    case 'closed':
      return ['follow_up']
    default:
      return []
  }
}
