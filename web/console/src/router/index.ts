// Routes carry the roles that may open them; the side menu is built from the
// same list, so a role sees exactly what it may do.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from '@/api'
import ConsoleLayout from '@/layouts/ConsoleLayout.vue'
import { m } from '@/messages'
import { mx } from '@/messagesMore'
import { ml } from '@/messagesLegal'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    roles?: readonly string[]
    menu?: boolean
    public?: boolean
    /** group puts a menu item under a sub-menu (m.<group>.group is its title). */
    group?: 'detention'
  }
}

const staff = ['police', 'detention_staff', 'lawyer', 'mediator', 'partner', 'supervisor', 'admin'] as const
export const caseRoles = ['police', 'lawyer', 'mediator', 'supervisor', 'admin'] as const
export const warningRoles = ['police', 'supervisor', 'admin'] as const
export const fusionRoles = ['police', 'mediator', 'partner', 'supervisor', 'admin'] as const
export const detentionRoles = ['detention_staff', 'supervisor', 'admin'] as const
export const followUpRoles = ['police', 'detention_staff', 'supervisor', 'admin'] as const

export const sections: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue'), meta: { title: m.menu.home, roles: staff, menu: true } },
  {
    path: 'work-orders',
    name: 'work-orders',
    component: () => import('@/views/workorders/WorkOrdersView.vue'),
    meta: { title: m.menu.workOrders, roles: staff, menu: true },
  },
  {
    path: 'approvals',
    name: 'approvals',
    redirect: { path: '/work-orders', query: { kind: 'record_review' } },
    meta: { title: m.menu.approvals, roles: ['police', 'supervisor'], menu: true },
  },
  { path: 'cases', name: 'cases', component: () => import('@/views/cases/CasesView.vue'), meta: { title: m.menu.cases, roles: caseRoles, menu: true } },
  {
    path: 'warnings',
    name: 'warnings',
    component: () => import('@/views/warnings/WarningsView.vue'),
    meta: { title: m.menu.warnings, roles: warningRoles, menu: true },
  },
  {
    path: 'special-people',
    name: 'special-people',
    component: () => import('@/views/fusion/SpecialPeopleView.vue'),
    meta: { title: m.menu.specialPeople, roles: fusionRoles, menu: true },
  },
  {
    path: 'meetings',
    name: 'meetings',
    component: () => import('@/views/fusion/MeetingsView.vue'),
    meta: { title: m.menu.meetings, roles: fusionRoles, menu: true },
  },
  { path: 'stats', name: 'stats', component: () => import('@/views/stats/StatsView.vue'), meta: { title: m.menu.stats, roles: warningRoles, menu: true } },
  {
    path: 'duty',
    name: 'duty',
    component: () => import('@/views/duty/DutyView.vue'),
    meta: { title: m.menu.duty, roles: ['lawyer', 'firm_head', 'supervisor', 'admin'], menu: true },
  },
  { path: 'flags', name: 'flags', component: () => import('@/views/flags/FlagsView.vue'), meta: { title: mx.menu.flags, roles: caseRoles, menu: true } },
  { path: 'firm', name: 'firm', component: () => import('@/views/firm/FirmView.vue'), meta: { title: mx.menu.firm, roles: ['firm_head'], menu: true } },
  {
    path: 'compensation',
    name: 'compensation',
    component: () => import('@/views/legalwork/CompensationView.vue'),
    meta: { title: m.legalWork.menuCalculator, roles: caseRoles, menu: true },
  },
  {
    path: 'pairing',
    name: 'pairing',
    component: () => import('@/views/legalwork/PairingView.vue'),
    meta: { title: m.legalWork.menuPairing, roles: warningRoles, menu: true },
  },
  // Incidents with legal workers and the expert pool (issue 19 parts 3 and
  // 5); an expert (a partner account) opens an incident they were invited to.
  {
    path: 'incidents',
    name: 'incidents',
    component: () => import('@/views/legalwork/IncidentsView.vue'),
    meta: { title: ml.menu.incidents, roles: ['police', 'lawyer', 'mediator', 'supervisor', 'admin'], menu: true },
  },
  {
    path: 'incidents/:id(\\d+)',
    name: 'incident',
    component: () => import('@/views/legalwork/IncidentView.vue'),
    meta: { title: ml.menu.incidents, roles: ['police', 'lawyer', 'mediator', 'partner', 'supervisor', 'admin'] },
  },
  {
    path: 'experts',
    name: 'experts',
    component: () => import('@/views/legalwork/ExpertsView.vue'),
    meta: { title: ml.menu.experts, roles: ['police', 'lawyer', 'mediator', 'partner', 'supervisor', 'admin'], menu: true },
  },
  {
    path: 'duty-work',
    name: 'duty-work',
    component: () => import('@/views/dutywork/DutyWorkView.vue'),
    meta: { title: m.menu.dutyWork, roles: ['lawyer', 'mediator', 'police', 'supervisor', 'admin'], menu: true },
  },
  {
    path: 'library',
    name: 'library',
    component: () => import('@/views/library/CaseLibraryView.vue'),
    meta: { title: m.menu.library, roles: caseRoles, menu: true },
  },
  // 拘调融合 (the detention desk), one sub-menu.
  {
    path: 'detention/detainees',
    name: 'detainees',
    component: () => import('@/views/detention/DetaineesView.vue'),
    meta: { title: m.detention.menu.detainees, roles: detentionRoles, menu: true, group: 'detention' },
  },
  {
    path: 'detention/visits',
    name: 'visits',
    component: () => import('@/views/detention/VisitsView.vue'),
    meta: { title: m.detention.menu.visits, roles: detentionRoles, menu: true, group: 'detention' },
  },
  {
    path: 'detention/joint',
    name: 'joint',
    component: () => import('@/views/detention/JointsView.vue'),
    // Also the invited units' staff: the joint mediations they consulted on, to rate.
    meta: { title: m.detention.menu.joint, roles: [...detentionRoles, 'partner', 'police', 'lawyer'], menu: true, group: 'detention' },
  },
  {
    path: 'detention/follow-ups',
    name: 'follow-ups',
    component: () => import('@/views/detention/FollowUpsView.vue'),
    meta: { title: m.detention.menu.followUps, roles: followUpRoles, menu: true, group: 'detention' },
  },
  {
    path: 'detention/detainees/:id(\\d+)',
    name: 'detainee',
    component: () => import('@/views/detention/DetaineeView.vue'),
    meta: { title: m.detention.profile, roles: detentionRoles },
  },
  {
    path: 'detention/joint/:id(\\d+)',
    name: 'joint-mediation',
    component: () => import('@/views/detention/JointView.vue'),
    // The invited units consult in the thread too (their work order links here).
    meta: { title: m.detention.menu.joint, roles: staff },
  },
  { path: 'admin', name: 'admin', component: () => import('@/views/admin/AdminView.vue'), meta: { title: m.menu.admin, roles: ['admin'], menu: true } },
  // A court's staff open a case handed to them for judicial confirmation.
  { path: 'cases/:id(\\d+)', name: 'case', component: () => import('@/views/cases/CaseView.vue'), meta: { title: m.menu.cases, roles: [...caseRoles, 'partner'] } },
]

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/login/LoginView.vue'), meta: { public: true, title: m.login.title } },
    { path: '/', component: ConsoleLayout, children: sections },
    // The video room, full screen, outside the layout (phones and tablets
    // too). Citizens have the H5 app's room, the same component; a citizen
    // session here works too — the room itself decides who may join.
    { path: '/room/:id', name: 'room', component: () => import('@/views/room/RoomPage.vue'), meta: { title: m.cases.videoRoom, roles: [...staff, 'citizen'] } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

/** allowed tells whether someone with these roles may open a route. */
export function allowed(roles: readonly string[], need: readonly string[] | undefined): boolean {
  return !need || need.some((r) => roles.includes(r))
}

router.beforeEach((to) => {
  if (to.meta.public) return true
  const session = useSession()
  if (!session.signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (!allowed(session.roles, to.meta.roles)) return to.name === 'home' ? true : { name: 'home' }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · ${m.app.short}` : m.app.title
})

/** toLogin sends the person to the login page; after an expired session it
 * remembers where they were, so logging in again brings them back. */
export function toLogin(expired: boolean) {
  const here = router.currentRoute.value
  if (here.name === 'login') return
  const query: Record<string, string> = {}
  if (expired) {
    query.expired = '1'
    if (here.fullPath !== '/') query.redirect = here.fullPath
  }
  void router.replace({ name: 'login', query })
}
