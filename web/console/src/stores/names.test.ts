import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api } from '@/api'
import { missingIds, useNames } from './names'

describe('staff names', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.restoreAllMocks())

  it('asks only for positive IDs not yet asked, once each', () => {
    expect(missingIds([3, null, 0, 3, undefined, 5, 9], new Set([9]))).toEqual([3, 5])
  })

  it('asks the server once per ID and names the rest "用户 N"', async () => {
    const get = vi.spyOn(api, 'GET').mockImplementation((async () => ({
      data: { items: [{ id: 4, name: '李警官', roles: ['police'] }] },
      response: new Response(),
    })) as never)
    const names = useNames()
    await names.ensure([4, 8, 4])
    await names.ensure([4, 8])
    expect(get).toHaveBeenCalledTimes(1)
    expect(get.mock.calls[0][1]).toEqual({ params: { query: { ids: '4,8' } } })
    expect(names.name(4)).toBe('李警官')
    expect(names.name(8)).toBe('用户 8')
    expect(names.known(8)).toBe('')
    expect(names.name(null)).toBe('')
  })

  it('asks again after a failure', async () => {
    const get = vi.spyOn(api, 'GET').mockImplementation((async () => ({ error: { code: 'x', message: '服务暂不可用', status: 503 }, response: new Response() })) as never)
    const names = useNames()
    await names.ensure([4])
    await names.ensure([4])
    expect(get).toHaveBeenCalledTimes(2)
  })
})
