// 拘调融合: detainees (profiles, intake, behaviour, label override), joint
// mediations (thread, decision, early-release grounds) and the follow-ups
// after release. Each action answers the thing as it now stands or throws
// the server's problem; the helpers below decide what the pages offer.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api'
import { m } from '@/messages'

export type Detainee = Schemas['Detainee']
export type DetaineeProfile = Schemas['DetaineeProfile']
export type RiskLabel = Schemas['RiskLabel']
export type Behaviour = DetaineeProfile['behaviours'][number]
export type BehaviourKind = Behaviour['kind']
export type JointMediation = Schemas['JointMediation']
export type JointListItem = Schemas['JointMediationListItem']
export type JointMessage = Schemas['JointMessage']
export type FollowUp = Schemas['FollowUp']
export type FollowUpListItem = Schemas['FollowUpListItem']
export type FollowUpVisit = Schemas['FollowUpVisit']
export type EarlyKind = NonNullable<JointMediation['early_release']>['kind']

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

/** The intake form as people fill it: dates as YYYY-MM-DD, one family member. */
export interface IntakeForm {
  centre_id: number | null
  home_station_id: number | null
  name: string
  id_number: string
  case_cause: string
  punishment: string
  punishment_from: string
  punishment_to: string
  health_notes: string
  dispute_background: string
  prior_records: string
  family_phone: string
  family_relationship: string
}

export function blankIntake(): IntakeForm {
  return {
    centre_id: null,
    home_station_id: null,
    name: '',
    id_number: '',
    case_cause: '',
    punishment: '',
    punishment_from: '',
    punishment_to: '',
    health_notes: '',
    dispute_background: '',
    prior_records: '',
    family_phone: '',
    family_relationship: '',
  }
}

/** intakeBody turns the form into the API's request: empty pickers are left
 * out (the server names the missing field), the family only when a phone is
 * given, the ID number upper-cased (a trailing x). */
export function intakeBody(f: IntakeForm) {
  return {
    ...(f.centre_id ? { centre_id: f.centre_id } : {}),
    home_station_id: f.home_station_id ?? 0,
    name: f.name.trim(),
    id_number: f.id_number.trim().toUpperCase(),
    case_cause: f.case_cause.trim(),
    punishment: f.punishment.trim(),
    punishment_from: f.punishment_from,
    punishment_to: f.punishment_to,
    health_notes: f.health_notes.trim(),
    dispute_background: f.dispute_background.trim(),
    prior_records: f.prior_records.trim(),
    family: f.family_phone.trim() ? [{ phone: f.family_phone.trim(), relationship: f.family_relationship.trim() }] : [],
  }
}

/** intakeFieldErrors moves the server's family[0].phone onto the form's own field. */
export function intakeFieldErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(errors)) {
    if (k.startsWith('family[0].')) out[`family_${k.slice('family[0].'.length).replace('user_id', 'phone')}`] = v
    else out[k] = v
  }
  return out
}

/** Tag colours of the blue/yellow/red labels (蓝黄红). */
export const labelColours: Record<RiskLabel, string> = { blue: '#409eff', yellow: '#e6a23c', red: '#f56c6c' }

/** reasonText reads one risk factor as the server names it (negative_behaviour:N). */
export function reasonText(r: string): string {
  const [k, n] = r.split(':')
  if (k === 'negative_behaviour') return `${m.detention.negativeBehaviour} ${n ?? ''}次`.trim()
  return m.detention.reasons[k] ?? r
}

/** historyReason reads why a label changed: a staff override's own words,
 * the risk factors of an intake (comma-separated), a behaviour's kind
 * ("behaviour violation"); anything else as the server wrote it. */
export function historyReason(source: string, reason: string): string {
  if (source === 'override' || !reason) return reason
  if (reason.startsWith('behaviour ')) return `${m.detention.behaviours}：${m.detention.behaviourKinds[reason.slice(10)] ?? reason.slice(10)}`
  return reason.split(',').map(reasonText).join('、')
}

/** Who does what on a joint mediation (domain/detention NextJoint): the
 * centre's side posts and decides while the units consult; a supervisor marks
 * an agreement as grounds for an early release, once. */
export type JointAction = 'post' | 'decide' | 'early_release'
export function jointActions(j: Pick<JointMediation, 'state' | 'early_release'>, roles: readonly string[]): JointAction[] {
  if (j.state === 'consulting') return ['post', 'decide']
  if (j.state === 'agreed' && !j.early_release && roles.includes('supervisor')) return ['early_release']
  return []
}

/** The follow-up's steps (domain/detention followUpMoves): the home station
 * visits, then assesses (and may visit and re-assess); the centre signs off
 * after the assessment. side: which side the caller works. */
export type FollowUpAction = 'visit' | 'assess' | 'close'
export function followUpActions(state: FollowUp['state'], side: { station: boolean; centre: boolean }): FollowUpAction[] {
  const out: FollowUpAction[] = []
  if (side.station && state !== 'closed') out.push('visit')
  if (side.station && (state === 'visiting' || state === 'assessed')) out.push('assess')
  if (side.centre && state === 'assessed') out.push('close')
  return out
}

/** followUpSide: police of the home station visit; detention staff of the
 * centre sign off; supervisors and admins above both may do either. */
export function followUpSide(f: Pick<FollowUp, 'station_id' | 'centre_id'>, me: { roles: readonly string[]; orgId: number | null | undefined }) {
  const boss = me.roles.includes('supervisor') || me.roles.includes('admin')
  return {
    station: boss || (me.roles.includes('police') && me.orgId === f.station_id),
    centre: boss || (me.roles.includes('detention_staff') && me.orgId === f.centre_id),
  }
}

export const useDetention = defineStore('detention', () => {
  const centres = ref<{ id: number; name: string }[]>([])
  const units = ref<{ id: number; kind: string; name: string }[]>([])
  const lines = ref<{ code: string; name: string }[]>([])
  let loading: Promise<void> | null = null

  /** load reads the pickers' data once: centres, invitable units, business lines. */
  function load() {
    loading ??= (async () => {
      const [c, u, l] = await Promise.all([
        api.GET('/api/v1/detention-centers'),
        api.GET('/api/v1/joint-mediation-units'),
        api.GET('/api/v1/joint-mediation-lines'),
      ])
      centres.value = c.data ?? []
      units.value = u.data ?? []
      lines.value = l.data ?? []
      if (!c.data || !u.data || !l.data) loading = null
    })()
    return loading
  }
  const unitName = (id: number | null | undefined) =>
    id ? (units.value.find((u) => u.id === id)?.name ?? centres.value.find((c) => c.id === id)?.name ?? `#${id}`) : ''
  const lineName = (code: string) => lines.value.find((l) => l.code === code)?.name ?? code

  const profile = async (id: number) => ok(await api.GET('/api/v1/detainees/{id}', { params: { path: { id } } }))
  const intake = async (f: IntakeForm) => ok(await api.POST('/api/v1/detainees', { body: intakeBody(f) }))
  const recordBehaviour = async (id: number, body: { date: string; kind: BehaviourKind; note: string }) =>
    ok(await api.POST('/api/v1/detainees/{id}/behaviour', { params: { path: { id } }, body }))
  const overrideLabel = async (id: number, body: { label: RiskLabel; reason: string }) =>
    ok(await api.POST('/api/v1/detainees/{id}/label', { params: { path: { id } }, body }))

  const linkFamily = async (id: number, body: { phone: string; relationship: string }) =>
    ok(await api.POST('/api/v1/detainees/{id}/family', { params: { path: { id } }, body }))
  /** depart records a release (which starts the 7-day follow-up) or a transfer. */
  const depart = async (id: number, kind: 'release' | 'transfer', body: { date: string; reason: string; destination: string }) =>
    kind === 'release'
      ? ok(await api.POST('/api/v1/detainees/{id}/release', { params: { path: { id } }, body })).detainee
      : ok(await api.POST('/api/v1/detainees/{id}/transfer', { params: { path: { id } }, body }))

  const joint = async (id: number) => ok(await api.GET('/api/v1/joint-mediations/{id}', { params: { path: { id } } }))
  const startJoint = async (body: { detainee_id: number; business_line: string; summary: string; partner_unit_ids: number[] }) =>
    ok(await api.POST('/api/v1/joint-mediations', { body }))
  const post = async (id: number, text: string) => ok(await api.POST('/api/v1/joint-mediations/{id}/messages', { params: { path: { id } }, body: { body: text } }))
  const decide = async (id: number, body: { decided_at: string; place: string; participants: string[]; outcome: 'agreed' | 'failed'; notes: string }) =>
    ok(await api.POST('/api/v1/joint-mediations/{id}/decision', { params: { path: { id } }, body }))
  const markEarlyRelease = async (id: number, body: { kind: EarlyKind; days: number; note: string }) =>
    ok(await api.POST('/api/v1/joint-mediations/{id}/early-release', { params: { path: { id } }, body }))

  const followUp = async (id: number) => ok(await api.GET('/api/v1/follow-ups/{id}', { params: { path: { id } } }))
  const addVisit = async (id: number, body: { date: string; method: FollowUpVisit['method']; note: string }) =>
    ok(await api.POST('/api/v1/follow-ups/{id}/visits', { params: { path: { id } }, body }))
  const assess = async (id: number, body: { assessment: 'good' | 'fair' | 'poor'; note: string }) =>
    ok(await api.POST('/api/v1/follow-ups/{id}/assessment', { params: { path: { id } }, body }))
  const closeFollowUp = async (id: number, note: string) => ok(await api.POST('/api/v1/follow-ups/{id}/close', { params: { path: { id } }, body: { note } }))

  return {
    centres,
    units,
    lines,
    load,
    unitName,
    lineName,
    profile,
    intake,
    recordBehaviour,
    overrideLabel,
    depart,
    linkFamily,
    joint,
    startJoint,
    post,
    decide,
    markEarlyRelease,
    followUp,
    addVisit,
    assess,
    closeFollowUp,
  }
})
