import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api } from '@/api'
import { useNames } from './names'
import { matchesPerson, mergePeople, personLabel, usePeople, type StaffPerson } from './people'

const li: StaffPerson = { id: 4, name: '李警官', roles: ['police'], unit_id: 2, unit_name: '双凤桥派出所' }
const zhou: StaffPerson = { id: 9, name: '周司法助理员', roles: ['partner'], unit_id: 6, unit_name: '双凤桥司法所' }
const wu: StaffPerson = { id: 11, name: '吴法律服务工作者', roles: ['partner'], unit_id: 7, unit_name: '双凤桥法律服务所' }

describe('the people directory', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.restoreAllMocks())

  it('merges units’ lists once each, by unit then name', () => {
    const got = mergePeople([[zhou, li], [li, wu]])
    const units = [li, zhou, wu].map((p) => p.unit_name).sort((a, b) => a.localeCompare(b, 'zh-CN'))
    expect(got.map((p) => p.unit_name)).toEqual(units)
    expect(new Set(got.map((p) => p.id)).size).toBe(3)
  })

  it('labels and filters by name, unit or ID', () => {
    expect(personLabel(li)).toBe('李警官（双凤桥派出所）')
    expect(personLabel({ name: '王督导', unit_name: '' })).toBe('王督导')
    expect(matchesPerson(li, '李')).toBe(true)
    expect(matchesPerson(li, '派出所')).toBe(true)
    expect(matchesPerson(li, '4')).toBe(true)
    expect(matchesPerson(li, '司法')).toBe(false)
    expect(matchesPerson(li, ' ')).toBe(true)
  })

  it('asks once per unit and role, keeps the names, and asks again after a failure', async () => {
    let fail = true
    const get = vi.spyOn(api, 'GET').mockImplementation((async (_path: string, init: { params: { query: { unit_id?: number } } }) => {
      if (fail) return { error: { code: 'x', message: '服务暂不可用', status: 503 }, response: new Response() }
      const unit = init.params.query.unit_id
      return { data: { items: unit === 2 ? [li] : [zhou], truncated: false }, response: new Response() }
    }) as never)
    const people = usePeople()
    await expect(people.list([2], 'police')).rejects.toMatchObject({ message: '服务暂不可用' })
    fail = false
    expect((await people.list([2, 2, 0, null], 'police')).map((p) => p.id)).toEqual([4])
    expect((await people.list([2], 'police')).map((p) => p.id)).toEqual([4])
    expect(get).toHaveBeenCalledTimes(2)
    expect(get.mock.calls[1][1]).toEqual({ params: { query: { unit_id: 2, role: 'police' } } })
    expect(useNames().name(4)).toBe('李警官')

    await people.list([])
    expect(get.mock.calls[2][1]).toEqual({ params: { query: { unit_id: undefined, role: undefined } } })
  })
})
