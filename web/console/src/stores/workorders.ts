// Work orders: the actions on one order, shared by the home page, the list
// and the drawer. Each answers the order as it now stands, or throws the
// server's problem.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { api } from '@/api'

export type WorkOrder = Schemas['WorkOrder']
export type OrderAction = 'claim' | 'complete' | 'reassign' | 'wait' | 'resume' | 'cancel'
export interface ActionInput {
  reason?: string
  outcome?: string
  unit_id?: number
  person_id?: number
}

/** Open orders: not yet finished, whoever holds them. */
export const openStates = 'queued,delivered,claimed'

export const useWorkOrders = defineStore('workorders', () => {
  async function act(id: number, action: OrderAction, input: ActionInput = {}): Promise<WorkOrder> {
    const params = { path: { id } }
    const r = await (() => {
      switch (action) {
        case 'claim':
          return api.POST('/api/v1/work-orders/{id}/claim', { params })
        case 'resume':
          return api.POST('/api/v1/work-orders/{id}/resume', { params })
        case 'complete':
          return api.POST('/api/v1/work-orders/{id}/complete', { params, body: { outcome: input.outcome ?? '' } })
        case 'wait':
          return api.POST('/api/v1/work-orders/{id}/wait', { params, body: { reason: input.reason ?? '' } })
        case 'cancel':
          return api.POST('/api/v1/work-orders/{id}/cancel', { params, body: { reason: input.reason ?? '' } })
        case 'reassign':
          return api.POST('/api/v1/work-orders/{id}/reassign', {
            params,
            body: { reason: input.reason ?? '', ...(input.unit_id ? { unit_id: input.unit_id } : {}), ...(input.person_id ? { person_id: input.person_id } : {}) },
          })
      }
    })()
    if (!r.data) throw r.error
    return r.data
  }

  async function get(id: number) {
    const r = await api.GET('/api/v1/work-orders/{id}', { params: { path: { id } } })
    if (!r.data) throw r.error
    return r.data
  }

  /** actionsFor lists what the caller may try on an order in its state:
   * anyone of the unit claims an open order; the claimer completes, waits,
   * resumes, reassigns and cancels it; supervisors and admins may reassign
   * and cancel any. The server still decides. */
  function actionsFor(o: Pick<WorkOrder, 'state' | 'paused' | 'assignee_id'>, me: number | undefined, roles: readonly string[]): OrderAction[] {
    const boss = roles.includes('supervisor') || roles.includes('admin')
    const manage: OrderAction[] = boss ? ['reassign', 'cancel'] : []
    switch (o.state) {
      case 'queued':
      case 'delivered':
      case 'escalated':
        return ['claim', ...manage]
      case 'claimed':
        if (o.assignee_id !== me) return manage
        return [...(o.paused ? (['resume'] as const) : (['wait'] as const)), 'complete', 'reassign', 'cancel']
      default:
        return []
    }
  }

  return { act, get, actionsFor }
})
