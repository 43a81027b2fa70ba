import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { thisMonth, useMonthly } from './monthly'

describe('monthly reports', () => {
  it('start at this month', () => {
    expect(thisMonth(new Date(2026, 0, 15))).toBe('2026-01')
  })

  it('load the month asked and again when it changes', async () => {
    const asked: string[] = []
    const r = useMonthly(async (month) => {
      asked.push(month)
      return { data: { month } }
    })
    await r.load()
    expect(r.data.value).toEqual({ month: r.month.value })
    r.month.value = '2026-10'
    await nextTick()
    await new Promise((ok) => setTimeout(ok))
    expect(asked.at(-1)).toBe('2026-10')
    expect(r.data.value).toEqual({ month: '2026-10' })
  })

  it('keep the server problem and clear stale rows', async () => {
    const r = useMonthly<{ rows: number[] }>(async () => ({ error: { code: 'firm.not_yours', message: '不能查看其他律所的数据', status: 403 } }))
    await r.load()
    expect(r.error.value?.message).toBe('不能查看其他律所的数据')
    expect(r.data.value).toBeNull()
    expect(r.loading.value).toBe(false)
  })
})
