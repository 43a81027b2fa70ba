import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useWorkOrders } from './workorders'

describe('work-order actions offered', () => {
  beforeEach(() => setActivePinia(createPinia()))
  const rows: [string, { state: 'delivered' | 'claimed' | 'completed'; paused: boolean; assignee_id: number | null }, string[], string[]][] = [
    ['an open order can be claimed by anyone of the unit', { state: 'delivered', paused: false, assignee_id: null }, ['police'], ['claim']],
    ['a supervisor may also reassign or cancel an open order', { state: 'delivered', paused: false, assignee_id: null }, ['supervisor'], ['claim', 'reassign', 'cancel']],
    ['the claimer waits, completes, reassigns or cancels', { state: 'claimed', paused: false, assignee_id: 7 }, ['police'], ['wait', 'complete', 'reassign', 'cancel']],
    ['a paused order is resumed, not paused again', { state: 'claimed', paused: true, assignee_id: 7 }, ['police'], ['resume', 'complete', 'reassign', 'cancel']],
    ["someone else's claimed order offers nothing to an officer", { state: 'claimed', paused: false, assignee_id: 8 }, ['police'], []],
    ['a completed order offers nothing', { state: 'completed', paused: false, assignee_id: 7 }, ['admin'], []],
  ]
  it.each(rows)('%s', (_, order, roles, want) => {
    expect(useWorkOrders().actionsFor(order, 7, roles)).toEqual(want)
  })
})
