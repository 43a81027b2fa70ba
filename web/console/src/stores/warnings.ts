// Warnings and their rules; each action answers the warning as it now
// stands or throws the server's problem.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'

export type Warning = Schemas['Warning']
export type WarningRule = Schemas['WarningRule']
export type WarningRuleInput = Schemas['WarningRuleInput']
export type WarningAction = 'acknowledge' | 'handle' | 'close'
export type WarningOutcome = NonNullable<Warning['outcome']>

function ok<T>(r: { data?: T; error?: unknown }): T {
  if (r.data === undefined) throw r.error
  return r.data
}

export const useWarnings = defineStore('warnings', () => {
  async function act(id: number, action: WarningAction, body: { outcome?: WarningOutcome; notes?: string }) {
    const opts = { params: { path: { id } }, body }
    switch (action) {
      case 'acknowledge':
        return ok(await api.POST('/api/v1/warnings/{id}/acknowledge', opts))
      case 'handle':
        return ok(await api.POST('/api/v1/warnings/{id}/handle', opts))
      case 'close':
        return ok(await api.POST('/api/v1/warnings/{id}/close', opts))
    }
  }
  const rules = async () => ok(await api.GET('/api/v1/warning-rules'))
  const saveRule = async (id: number | null, body: WarningRuleInput) =>
    id ? ok(await api.PUT('/api/v1/warning-rules/{id}', { params: { path: { id } }, body })) : ok(await api.POST('/api/v1/warning-rules', { body }))
  return { act, rules, saveRule }
})

/** nextActions: open → acknowledged → handled (with an outcome) → closed
 * (domain/warning); closing is for supervisors and admins. */
export function nextActions(status: Warning['status'], roles: readonly string[]): WarningAction[] {
  switch (status) {
    case 'open':
      return ['acknowledge', 'handle']
    case 'acknowledged':
      return ['handle']
    case 'handled':
      return roles.includes('supervisor') || roles.includes('admin') ? ['close'] : []
    default:
      return []
  }
}
