// The app's API client and session, as in the console: one client for
// everything (with the session's bearer token and 401 handling), one plain
// client the session itself uses to refresh and log out. The session stays
// in localStorage, so a closed tab (or a reopened web-view) stays signed in
// and the refresh token renews the access token before it expires.
import { createApi } from '@tiaojie/shared/api'
import { defineSessionStore } from '@tiaojie/shared/session'

const plain = createApi()
let expired: () => void = () => {}

/** onSessionExpired tells the app what to do when the server ends the session. */
export function onSessionExpired(f: () => void) {
  expired = f
}

export const useSession = defineSessionStore('session', {
  api: plain,
  storageKey: 'tiaojie.h5.session',
  onExpired: () => expired(),
})

/** api is the client views use; main.ts adds the session's middleware. */
export const api = createApi()
