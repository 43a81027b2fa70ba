import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api } from '@/api'
import PersonPicker from './PersonPicker.vue'

const li = { id: 4, name: '李警官', roles: ['police'], unit_id: 2, unit_name: '双凤桥派出所' }

describe('PersonPicker', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.restoreAllMocks())

  function stub() {
    return vi.spyOn(api, 'GET').mockImplementation((async (path: string) => {
      if (path === '/api/v1/staff/people') return { data: { items: [li], truncated: false }, response: new Response() }
      return { data: { items: [{ id: 30, name: '王督导', roles: ['supervisor'] }] }, response: new Response() }
    }) as never)
  }

  it('offers the unit’s people by name and answers an ID, 0 when cleared', async () => {
    const get = stub()
    const w = mount(PersonPicker, { props: { modelValue: 0, units: [2], role: 'police' } })
    await flushPromises()
    expect(get).toHaveBeenCalledWith('/api/v1/staff/people', { params: { query: { unit_id: 2, role: 'police' } } })
    const options = w.findAllComponents({ name: 'ElOption' })
    expect(options.map((o) => o.props('label'))).toEqual(['李警官（双凤桥派出所）'])
    const select = w.findComponent({ name: 'ElSelect' })
    select.vm.$emit('update:modelValue', 4)
    select.vm.$emit('update:modelValue', undefined)
    expect(w.emitted('update:modelValue')).toEqual([[4], [0]])
  })

  it('names a chosen person outside the list and answers lists when multiple', async () => {
    const get = stub()
    const w = mount(PersonPicker, { props: { modelValue: [4, 30], multiple: true, units: [2] } })
    await flushPromises()
    expect(get).toHaveBeenCalledWith('/api/v1/staff/names', { params: { query: { ids: '30' } } })
    const labels = w.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))
    expect(labels).toEqual(['李警官（双凤桥派出所）', '王督导'])
    w.findComponent({ name: 'ElSelect' }).vm.$emit('update:modelValue', [4])
    expect(w.emitted('update:modelValue')).toEqual([[[4]]])
  })

  it('asks again when the unit changes', async () => {
    const get = stub()
    const w = mount(PersonPicker, { props: { modelValue: 0, units: [2] } })
    await flushPromises()
    await w.setProps({ units: [7] })
    await flushPromises()
    expect(get.mock.calls.map((c) => (c[1] as { params: { query: { unit_id?: number } } }).params.query.unit_id)).toEqual([2, 7])
  })
})
