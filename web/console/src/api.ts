// The console's API client and session: one client for everything (with the
// session's bearer token and 401 handling), one plain client the session
// itself uses to refresh and log out.
import { createApi } from '@tiaojie/shared/api'
import { defineSessionStore } from '@tiaojie/shared/session'

const plain = createApi()
let expired: () => void = () => {}

/** onSessionExpired tells the console what to do when the server ends the session. */
export function onSessionExpired(f: () => void) {
  expired = f
}

export const useSession = defineSessionStore('session', {
  api: plain,
  storageKey: 'tiaojie.console.session',
  onExpired: () => expired(),
})

/** api is the client views use; main.ts adds the session's middleware. */
export const api = createApi()
