// The notification inbox: the newest notices and the unread count the tab
// bar shows, refreshed while the app is open.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Api, Schemas } from '@tiaojie/shared/api'

export type Notice = Schemas['Notification']

/** roomOf finds the video room a notice leads to: its link
 * ("/h5/room/<id>"), else a room named in its body. */
export function roomOf(n: Pick<Notice, 'body' | 'link'>): string | null {
  const m = /(?:\/room\/|[?&]room=)([A-Za-z0-9_-]+)/.exec(n.link ?? '') ?? /(?:\/room\/|[?&]room=)([A-Za-z0-9_-]+)/.exec(n.body)
  return m ? m[1] : null
}

/** linkOf is where tapping a notice goes in the app. */
export function linkOf(n: Notice): string | null {
  const room = roomOf(n)
  if (room) return `/room/${room}`
  if (n.resource_type === 'request') return `/requests/${n.resource_id}`
  if (n.resource_type === 'visit_booking') return `/bookings/${n.resource_id}`
  if (n.resource_type === 'joint_mediation') return '/family/joints'
  return null
}

export function defineInbox(api: () => Api) {
  return defineStore('inbox', () => {
    const items = ref<Notice[]>([])
    const unread = ref(0)
    const loaded = ref(false)

    async function load() {
      const { data } = await api().GET('/api/v1/notifications', { params: { query: { limit: 50 } } })
      if (!data) return
      items.value = data.items
      unread.value = data.unread
      loaded.value = true
    }

    async function markRead(ids?: number[]) {
      const { data } = await api().POST('/api/v1/notifications/read', { body: ids ? { ids } : {} })
      if (!data) return
      const now = new Date().toISOString()
      for (const n of items.value) if (!n.read_at && (!ids || ids.includes(n.id))) n.read_at = now
      unread.value = ids ? Math.max(0, unread.value - data.marked) : 0
    }

    return { items, unread, loaded, load, markRead }
  })
}
