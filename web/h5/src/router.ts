import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from '@/api'
import TabLayout from '@/views/TabLayout.vue'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    public?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory('/h5/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: TabLayout,
      children: [
        { path: '', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { title: '首页' } },
        { path: 'requests', name: 'requests', component: () => import('@/views/RequestsView.vue'), meta: { title: '我的申请' } },
        { path: 'inbox', name: 'inbox', component: () => import('@/views/InboxView.vue'), meta: { title: '消息' } },
        { path: 'family', name: 'family', component: () => import('@/views/FamilyView.vue'), meta: { title: '家属服务' } },
      ],
    },
    { path: '/file', name: 'file', component: () => import('@/views/FileView.vue'), meta: { title: '我要调解' } },
    { path: '/requests/:id(\\d+)', name: 'request', component: () => import('@/views/RequestView.vue'), meta: { title: '申请详情' } },
    { path: '/family/:detainee(\\d+)/book', name: 'book', component: () => import('@/views/BookView.vue'), meta: { title: '预约会见' } },
    { path: '/family/joints', name: 'family-joints', component: () => import('@/views/FamilyJointsView.vue'), meta: { title: '联合调解' } },
    { path: '/bookings/:id(\\d+)', name: 'booking', component: () => import('@/views/BookingView.vue'), meta: { title: '会见预约' } },
    { path: '/room/:roomId', name: 'room', component: () => import('@/views/RoomPage.vue'), meta: { title: '视频调解' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!useSession().signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 调解通` : '调解通'
})

/** toLogin sends the person to the login page; after an expired session it
 * remembers where they were, so logging in again brings them back. */
export function toLogin(expired: boolean) {
  const here = router.currentRoute.value
  if (here.name === 'login') return
  const query: Record<string, string> = {}
  if (expired) query.expired = '1'
  if (here.fullPath !== '/') query.redirect = here.fullPath
  void router.replace({ name: 'login', query })
}
