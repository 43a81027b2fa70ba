import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Api } from '../api'
import RoomView from './RoomView.vue'

const client = { POST: vi.fn() } as unknown as Api

describe('RoomView', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('on a page without a camera API (plain http) explains what to do, offers no entry, and goes back', async () => {
    vi.stubGlobal('isSecureContext', false)
    const w = mount(RoomView, { props: { roomId: 'case-1-abc', client, compact: true } })
    await flushPromises()
    expect(w.find('[data-test=room]').attributes('data-phase')).toBe('check')
    expect(w.find('[data-test=media-guidance]').text()).toContain('HTTPS')
    expect(w.find('[data-test=room-enter]').exists()).toBe(false)
    await w.find('[data-test=room-back]').trigger('click')
    expect(w.emitted('exit')).toEqual([['left']])
    expect(client.POST).not.toHaveBeenCalled()
    w.unmount()
  })

  it('takes a numeric room ID too', async () => {
    vi.stubGlobal('isSecureContext', false)
    const w = mount(RoomView, { props: { roomId: 42, client, selfName: '张三' } })
    await flushPromises()
    expect(w.find('.avatar').text()).toBe('张')
    w.unmount()
  })
})
