import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApi } from '@tiaojie/shared/api'
import { defineInbox, linkOf, roomOf, type Notice } from './inbox'

const notice = (o: Partial<Notice>): Notice => ({
  id: 1, kind: 'case_assigned', title: 't', body: '', resource_type: 'request', resource_id: 7, created_at: '2026-12-01T00:00:00Z', read_at: null, ...o,
})

describe('inbox links', () => {
  it('opens the room a notice names, else the request or booking', () => {
    expect(roomOf(notice({ body: '请按时进入 /h5/room/case-42-abc' }))).toBe('case-42-abc')
    expect(linkOf(notice({ kind: 'visit_approved', resource_type: 'visit_booking', link: '/h5/room/visit-9-f00' }))).toBe('/room/visit-9-f00')
    expect(linkOf(notice({ kind: 'session_scheduled', body: '入口 /app/mediation?room=visit-3-x' }))).toBe('/room/visit-3-x')
    expect(linkOf(notice({}))).toBe('/requests/7')
    expect(linkOf(notice({ resource_type: 'visit_booking', resource_id: 3 }))).toBe('/bookings/3')
    expect(linkOf(notice({ kind: 'joint_decided', resource_type: 'joint_mediation', resource_id: 5, link: '/h5/family/joints' }))).toBe('/family/joints')
    expect(linkOf(notice({ resource_type: 'work_order' }))).toBeNull()
  })
})

describe('inbox store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('loads the notices and marks them read', async () => {
    const calls: string[] = []
    const fetch = async (req: Request) => {
      calls.push(`${req.method} ${new URL(req.url).pathname}`)
      if (req.method === 'GET') return Response.json({ items: [notice({ id: 2 }), notice({ id: 1, read_at: '2026-12-01T00:00:00Z' })], unread: 1 })
      expect(await req.json()).toEqual({ ids: [2] })
      return Response.json({ marked: 1 })
    }
    const api = createApi({ baseUrl: 'http://x', fetch: fetch as typeof globalThis.fetch })
    const inbox = defineInbox(() => api)()
    await inbox.load()
    expect(inbox.unread).toBe(1)
    await inbox.markRead([2])
    expect(inbox.unread).toBe(0)
    expect(inbox.items[0].read_at).not.toBeNull()
    expect(calls).toEqual(['GET /api/v1/notifications', 'POST /api/v1/notifications/read'])
  })
})
