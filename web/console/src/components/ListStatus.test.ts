import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ListStatus from './ListStatus.vue'

const problem = { type: 'about:blank', title: 'Forbidden', status: 403, detail: '', code: 'auth.forbidden', message: '您无权查看此内容', request_id: 'req-9' }

describe('ListStatus', () => {
  it('shows the server message and request ID of a failed load, with a retry', async () => {
    const w = mount(ListStatus, { props: { error: problem, loading: false } })
    expect(w.text()).toContain('您无权查看此内容')
    expect(w.text()).toContain('req-9')
    await w.find('button').trigger('click')
    expect(w.emitted('retry')).toHaveLength(1)
  })

  it('says loading while loading and the empty text when there is nothing', () => {
    expect(mount(ListStatus, { props: { error: null, loading: true } }).text()).toBe('加载中…')
    expect(mount(ListStatus, { props: { error: null, loading: false, emptyText: '暂无待办工单' } }).text()).toBe('暂无待办工单')
  })
})
