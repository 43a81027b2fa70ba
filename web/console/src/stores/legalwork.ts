// Legal workers on police incidents (警情纠纷), pairing visits and their
// findings (包联走访), the expert pool (专家库) and room invitations (issue
// 19 parts 3–5, issue 20 Yuyao). Each action answers the thing as it now
// stands or throws the server's problem; the pure helpers below mirror the
// domain's state machines so a page offers only what may be done.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'

export type Incident = Schemas['Incident']
export type IncidentState = Schemas['IncidentState']
export type CaseType = Incident['case_type']
export type Calculation = Schemas['CompensationCalculation']
export type CompensationInput = Schemas['CompensationInput']
export type PairingVisit = Schemas['PairingVisit']
export type PairingFinding = Schemas['PairingFinding']
export type Expert = Schemas['Expert']
export type ExpertKind = Schemas['ExpertKind']
export type ExpertInvitation = Schemas['ExpertInvitation']
export type RoomInvitation = Schemas['RoomInvitation']
export type RoomInviteKind = RoomInvitation['kind']
export type EndAction = 'resolve' | 'refer' | 'close'
export type FindingAction = 'rectify' | 'verify' | 'reject'
export type InvitationAction = 'accept' | 'decline' | 'conclude' | 'withdraw'

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

export const useLegalWork = defineStore('legalwork', () => {
  const incidentPage = (cursor: string | undefined, state?: IncidentState) =>
    api.GET('/api/v1/incidents', { params: { query: { cursor, state, limit: 20 } } })
  const incident = async (id: number) => ok(await api.GET('/api/v1/incidents/{id}', { params: { path: { id } } }))
  const createIncident = async (body: { station_id: number; case_type: CaseType; summary: string; occurred_at: string; call_no?: string; place?: string }) =>
    ok(await api.POST('/api/v1/incidents', { body }))
  const bringIn = async (id: number, workerId: number) =>
    ok(await api.POST('/api/v1/incidents/{id}/workers', { params: { path: { id } }, body: { worker_id: workerId } }))
  const opinion = async (id: number, text: string) =>
    ok(await api.POST('/api/v1/incidents/{id}/opinion', { params: { path: { id } }, body: { opinion: text } }))
  const endIncident = async (id: number, body: { action: EndAction; outcome: string; request_id?: number }) =>
    ok(await api.POST('/api/v1/incidents/{id}/end', { params: { path: { id } }, body }))
  const calculate = async (id: number, body: CompensationInput & { note?: string }) =>
    ok(await api.POST('/api/v1/incidents/{id}/calculations', { params: { path: { id } }, body }))

  const visits = async (pairingId: number) => ok(await api.GET('/api/v1/pairings/{id}/visits', { params: { path: { id: pairingId } } }))
  const logVisit = async (pairingId: number, body: { visited_at: string; unannounced: boolean; checked?: string[]; summary: string; findings?: string[] }) =>
    ok(await api.POST('/api/v1/pairings/{id}/visits', { params: { path: { id: pairingId } }, body }))
  const actOnFinding = async (id: number, action: FindingAction, note: string) => {
    const opts = { params: { path: { id } }, body: { note } }
    if (action === 'rectify') return ok(await api.POST('/api/v1/pairing-findings/{id}/rectify', opts))
    if (action === 'verify') return ok(await api.POST('/api/v1/pairing-findings/{id}/verify', opts))
    return ok(await api.POST('/api/v1/pairing-findings/{id}/reject', opts))
  }

  const experts = async (all = false) => ok(await api.GET('/api/v1/experts', { params: { query: { all: all ? 'true' : 'false' } } }))
  const saveExpert = async (id: number, body: { user_id: number; kind: ExpertKind; specialties?: string[]; bio?: string; active?: boolean }) =>
    id > 0 ? ok(await api.PUT('/api/v1/experts/{id}', { params: { path: { id } }, body })) : ok(await api.POST('/api/v1/experts', { body }))
  const invite = async (body: { expert_id: number; resource_type: 'request' | 'incident'; resource_id: number; purpose: 'difficult_case' | 'joint_mediation'; note: string }) =>
    ok(await api.POST('/api/v1/expert-invitations', { body }))
  const myInvitations = async () => ok(await api.GET('/api/v1/expert-invitations'))
  const caseInvitations = async (type: 'request' | 'incident', id: number) =>
    ok(await api.GET('/api/v1/expert-invitations', { params: { query: { resource_type: type, resource_id: id } } }))
  const actOnInvitation = async (id: number, action: InvitationAction, text: string) => {
    const opts = { params: { path: { id } }, body: { text } }
    if (action === 'accept') return ok(await api.POST('/api/v1/expert-invitations/{id}/accept', opts))
    if (action === 'decline') return ok(await api.POST('/api/v1/expert-invitations/{id}/decline', opts))
    if (action === 'conclude') return ok(await api.POST('/api/v1/expert-invitations/{id}/conclude', opts))
    return ok(await api.POST('/api/v1/expert-invitations/{id}/withdraw', opts))
  }

  const roomInvitations = async (room: string) => ok(await api.GET('/api/v1/rooms/{id}/invitations', { params: { path: { id: room } } }))
  const inviteToRoom = async (room: string, body: { kind: RoomInviteKind; user_id?: number; name?: string; phone?: string }) =>
    ok(await api.POST('/api/v1/rooms/{id}/invitations', { params: { path: { id: room } }, body }))

  return {
    incidentPage, incident, createIncident, bringIn, opinion, endIncident, calculate,
    visits, logVisit, actOnFinding,
    experts, saveExpert, invite, myInvitations, caseInvitations, actOnInvitation,
    roomInvitations, inviteToRoom,
  }
})

/** incidentOpen: workers are brought in, opinions recorded and calculations
 * attached while the incident is open or being assisted. */
export const incidentOpen = (s: IncidentState) => s === 'open' || s === 'assisting'

/** endActions: the station ends an open incident one of three ways. */
export const endActions = (s: IncidentState): EndAction[] => (incidentOpen(s) ? ['resolve', 'refer', 'close'] : [])

/** findingActions mirrors domain/pairing: the station reports an open
 * finding rectified; the cadre verifies the fix or rejects it (open again). */
export function findingActions(state: PairingFinding['state'], roles: readonly string[]): FindingAction[] {
  const cadre = roles.includes('supervisor') || roles.includes('admin')
  if (state === 'open') return roles.includes('police') || cadre ? ['rectify'] : []
  if (state === 'rectified') return cadre ? ['verify', 'reject'] : []
  return []
}

/** invitationActions mirrors domain/expert: the expert accepts or declines
 * an invitation and concludes an accepted one with an opinion; whoever
 * invited (or a supervisor) may withdraw it while it is open. */
export function invitationActions(
  inv: Pick<ExpertInvitation, 'state' | 'expert_user_id' | 'invited_by'>,
  me: number,
  roles: readonly string[] = [],
): InvitationAction[] {
  const out: InvitationAction[] = []
  if (inv.expert_user_id === me) {
    if (inv.state === 'invited') out.push('accept', 'decline')
    if (inv.state === 'accepted') out.push('conclude')
  }
  const inviter = inv.invited_by === me || roles.includes('supervisor') || roles.includes('admin')
  if (inviter && inv.expert_user_id !== me && (inv.state === 'invited' || inv.state === 'accepted')) out.push('withdraw')
  return out
}

/** splitLines turns a textarea into its non-empty trimmed lines (findings, checked items). */
export const splitLines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

/** roomInvitee builds the body of a room invitation: an account by ID, or a
 * name and phone for someone without one (observers are always accounts). */
export function roomInvitee(kind: RoomInviteKind, by: 'user' | 'phone', userId: number, name: string, phone: string) {
  if (by === 'user' || kind === 'observer') return { kind, user_id: userId }
  return { kind, name: name.trim(), phone: phone.trim() }
}

/** localStamp writes a time as the date pickers' value format
 * (YYYY-MM-DDTHH:mm:ssZ, with the browser's offset). */
export function localStamp(d = new Date()): string {
  const p = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const off = -d.getTimezoneOffset()
  const zone = `${off < 0 ? '-' : '+'}${p(Math.trunc(off / 60))}:${p(off % 60)}`
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${zone}`
}
