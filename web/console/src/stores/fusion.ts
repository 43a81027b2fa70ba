// Police–justice fusion (警法融合): the special population register and the
// joint analysis meetings. Each action answers the thing as it now stands or
// throws the server's problem.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'

export type FusionArea = Schemas['FusionArea']
export type SpecialPerson = Schemas['SpecialPerson']
export type SpecialProfile = Schemas['SpecialPersonProfile']
export type SpecialState = SpecialPerson['state']
export type PersonAction = 'lose_contact' | 'regain_contact' | 'reoffend' | 'release'
export type Meeting = Schemas['Meeting']
export type MeetingAction = Schemas['MeetingAction']

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

export const useFusion = defineStore('fusion', () => {
  const areas = async () => ok(await api.GET('/api/v1/fusion/areas')).items
  const kinds = async () => ok(await api.GET('/api/v1/special-kinds')).items
  const profile = async (id: number) => ok(await api.GET('/api/v1/special-people/{id}', { params: { path: { id } } }))
  const register = async (body: {
    area_id: number
    kind: string
    name: string
    id_number: string
    officer_id: number
    visit_every_days: number
    risk_level?: 'low' | 'medium' | 'high'
    address?: string
    social_worker_id?: number
    legal_steward_id?: number
    note?: string
  }) => ok(await api.POST('/api/v1/special-people', { body }))
  const visit = async (id: number, body: { method: 'home' | 'phone' | 'video' | 'interview'; note: string }) =>
    ok(await api.POST('/api/v1/special-people/{id}/visits', { params: { path: { id } }, body }))
  const help = async (id: number, note: string) => ok(await api.POST('/api/v1/special-people/{id}/help', { params: { path: { id } }, body: { note } }))
  const transition = async (id: number, action: PersonAction, note: string) =>
    ok(await api.POST('/api/v1/special-people/{id}/transition', { params: { path: { id } }, body: { action, note } }))
  const patrols = async (body: { from: string; to: string; reason: string; area_id?: number }) =>
    ok(await api.POST('/api/v1/special-people/patrols', { body })).orders

  const meeting = async (id: number) => ok(await api.GET('/api/v1/fusion/meetings/{id}', { params: { path: { id } } }))
  const plan = async (body: { level: 'area' | 'district'; period: string; scheduled_at: string; area_id?: number; district_id?: number }) =>
    ok(await api.POST('/api/v1/fusion/meetings', { body }))
  const minutes = async (id: number, body: { held_at: string; attendees: number[]; minutes: string; place?: string; decisions?: string }) =>
    ok(await api.POST('/api/v1/fusion/meetings/{id}/minutes', { params: { path: { id } }, body }))
  const addAction = async (id: number, body: { title: string; assignee_id: number; due_at: string }) =>
    ok(await api.POST('/api/v1/fusion/meetings/{id}/actions', { params: { path: { id } }, body }))
  const closeAction = async (id: number, actionId: number, outcome: string) =>
    ok(await api.POST('/api/v1/fusion/meetings/{id}/actions/{action_id}/close', { params: { path: { id, action_id: actionId } }, body: { outcome } }))
  const digest = async (areaId: number) => ok(await api.POST('/api/v1/fusion/areas/{id}/digest', { params: { path: { id: areaId } }, body: {} }))
  return { areas, kinds, profile, register, visit, help, transition, patrols, meeting, plan, minutes, addAction, closeAction, digest }
})

/** personActions mirrors the register's state machine (domain/specialpop):
 * managed → lost contact, re-offended or released; lost contact → back
 * under management or re-offended; re-offended → released. */
export function personActions(state: SpecialState): PersonAction[] {
  switch (state) {
    case 'managed':
      return ['lose_contact', 'reoffend', 'release']
    case 'lost_contact':
      return ['regain_contact', 'reoffend']
    case 'reoffended':
      return ['release']
    default:
      return []
  }
}

/** followed: visits and help are recorded for people still followed. */
export const followed = (state: SpecialState) => state === 'managed' || state === 'lost_contact'

/** actionsClosed counts a meeting's closed items, for its list line. */
export function actionsClosed(actions: readonly MeetingAction[] | undefined): string {
  const all = actions ?? []
  return `${all.filter((a) => a.state === 'closed').length}/${all.length}`
}
