// The signed-in session both apps share: the token pair kept in storage,
// the access token refreshed before it expires with the rotating refresh
// token, and — on a 401 or a refused refresh — the session ended and the app
// told, so it can send the person to its login page and back afterwards.
import type { Middleware } from 'openapi-fetch'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Api, Schemas } from '../api'

export type TokenPair = Schemas['TokenPair']
export type User = Schemas['User']

/** What is kept in storage: the pair, when the access token expires, the user. */
export interface StoredSession {
  accessToken: string
  refreshToken: string
  expiresAt: number
  user: User | null
}

export interface SessionOptions {
  /** A client without the session's middleware: refresh and logout go through it. */
  api: Api
  storageKey: string
  storage?: Storage
  /** How long before expiry the access token is renewed. */
  leadMs?: number
  /** Called once when the session ends by itself (401, refused refresh). */
  onExpired?: () => void
}

// Calls that must not carry or renew the session.
const openPaths = ['/api/v1/auth/staff-login', '/api/v1/auth/citizen-login', '/api/v1/auth/sms-code', '/api/v1/auth/refresh', '/api/v1/auth/miniprogram-login']

export function defineSessionStore(id: string, opts: SessionOptions) {
  const lead = opts.leadMs ?? 60_000
  return defineStore(id, () => {
    const storage = opts.storage ?? globalThis.localStorage
    const current = ref<StoredSession | null>(read())
    let timer: ReturnType<typeof setTimeout> | undefined
    let inFlight: Promise<boolean> | null = null

    const user = computed(() => current.value?.user ?? null)
    const signedIn = computed(() => current.value !== null)
    const roles = computed(() => current.value?.user?.roles ?? [])

    function read(): StoredSession | null {
      try {
        const raw = storage.getItem(opts.storageKey)
        return raw ? (JSON.parse(raw) as StoredSession) : null
      } catch {
        return null
      }
    }

    function save(s: StoredSession | null) {
      current.value = s
      if (s) storage.setItem(opts.storageKey, JSON.stringify(s))
      else storage.removeItem(opts.storageKey)
      schedule()
    }

    function schedule() {
      clearTimeout(timer)
      timer = undefined
      const s = current.value
      if (!s) return
      timer = setTimeout(() => void refresh(), Math.max(0, s.expiresAt - lead - Date.now()))
    }

    /** start takes the pair a login answered with. */
    function start(pair: TokenPair, who?: User) {
      save({
        accessToken: pair.access_token,
        refreshToken: pair.refresh_token,
        expiresAt: Date.now() + pair.expires_in * 1000,
        user: pair.user ?? who ?? current.value?.user ?? null,
      })
    }

    function setUser(u: User) {
      if (current.value) save({ ...current.value, user: u })
    }

    /** refresh renews the pair once, however many callers ask at the same
     * time; it answers whether the session is still alive. Another tab may
     * have rotated the token meanwhile: its newer pair in storage is taken
     * instead of spending ours a second time (which the server treats as a
     * stolen token and ends the whole login). */
    function refresh(): Promise<boolean> {
      inFlight ??= doRefresh().finally(() => {
        inFlight = null
      })
      return inFlight
    }

    async function doRefresh(): Promise<boolean> {
      const mine = current.value
      if (!mine) return false
      const stored = read()
      if (stored && stored.refreshToken !== mine.refreshToken && stored.expiresAt - lead > Date.now()) {
        save(stored)
        return true
      }
      let answer
      try {
        answer = await opts.api.POST('/api/v1/auth/refresh', { body: { refresh_token: mine.refreshToken } })
      } catch {
        // No answer (network): keep the session and try again shortly.
        clearTimeout(timer)
        timer = setTimeout(() => void refresh(), 10_000)
        return mine.expiresAt > Date.now()
      }
      if (answer.data) {
        start(answer.data)
        return true
      }
      expire()
      return false
    }

    /** expire ends the session without asking the server (it already said no). */
    function expire() {
      const was = current.value !== null
      save(null)
      if (was) opts.onExpired?.()
    }

    /** logout ends the session on the server too. */
    async function logout() {
      const s = current.value
      save(null)
      if (s) {
        try {
          await opts.api.POST('/api/v1/auth/logout', { headers: { Authorization: `Bearer ${s.accessToken}` } })
        } catch {
          // The server forgets the refresh token at its expiry anyway.
        }
      }
    }

    /** accessToken answers a token good for a call, renewing it first when
     * it is about to expire (after the computer slept the timer is late). */
    async function accessToken(): Promise<string | null> {
      const s = current.value
      if (!s) return null
      if (s.expiresAt - 5_000 <= Date.now() && !(await refresh())) return null
      return current.value?.accessToken ?? null
    }

    /** middleware puts the bearer token on every call and ends the session
     * on a 401. */
    const middleware: Middleware = {
      async onRequest({ request, schemaPath }) {
        if (openPaths.includes(schemaPath)) return request
        const token = await accessToken()
        if (token) request.headers.set('Authorization', `Bearer ${token}`)
        return request
      },
      onResponse({ response, request }) {
        if (response.status === 401 && request.headers.has('Authorization')) expire()
        return response
      },
    }

    // Another tab logged in, refreshed or logged out.
    globalThis.addEventListener?.('storage', (e: StorageEvent) => {
      if (e.key !== opts.storageKey) return
      const s = read()
      if (!s && current.value) expire()
      else if (s) {
        current.value = s
        schedule()
      }
    })

    schedule()
    return { current, user, roles, signedIn, start, setUser, refresh, expire, logout, accessToken, middleware }
  })
}
