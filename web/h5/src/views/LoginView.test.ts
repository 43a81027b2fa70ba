import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import LoginView from './LoginView.vue'

// The app's client, calling whatever fetch the test put in place.
vi.mock('@/api', async () => {
  const { createApi } = await import('@tiaojie/shared/api')
  const { defineSessionStore } = await import('@tiaojie/shared/session')
  const fetch = (r: Request) => globalThis.fetch(r)
  const api = createApi({ fetch: fetch as typeof globalThis.fetch, baseUrl: 'http://h5.test' })
  return { api, useSession: defineSessionStore('session', { api, storageKey: 'test.session' }) }
})

// The login page against a fake server: a sent code starts the resend
// countdown; a rate-limited request says "请 N 秒后再试" from Retry-After.
describe('SMS login', () => {
  let answer: () => Response
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    vi.stubGlobal('fetch', async () => answer())
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  async function page() {
    const router = createRouter({ history: createMemoryHistory('/h5/'), routes: [{ path: '/login', component: LoginView }, { path: '/', component: LoginView }] })
    await router.push('/login')
    const w = mount(LoginView, { global: { plugins: [router] }, attachTo: document.body })
    await w.find('input[type=tel]').setValue('13800138000')
    return w
  }

  it('counts down after a code is sent', async () => {
    answer = () => Response.json({ sent: true, retry_after: 60 }, { status: 202 })
    const w = await page()
    await w.find('[data-test=send-code]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=send-code]').text()).toBe('60 秒后重发')
    vi.advanceTimersByTime(3000)
    await flushPromises()
    expect(w.find('[data-test=send-code]').text()).toBe('57 秒后重发')
    expect(w.find('[data-test=send-code]').attributes('disabled')).toBeDefined()
    w.unmount()
  })

  it('shows a rate limit as 请 N 秒后再试', async () => {
    answer = () =>
      Response.json(
        { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'x', code: 'auth.code_too_soon', message: '验证码刚刚已发送', request_id: 'r' },
        { status: 429, headers: { 'Retry-After': '42', 'Content-Type': 'application/problem+json' } },
      )
    const w = await page()
    await w.find('[data-test=send-code]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=wait]').text()).toBe('请 42 秒后再试')
    expect(w.find('[data-test=send-code]').text()).toBe('42 秒后重发')
    w.unmount()
  })
})

