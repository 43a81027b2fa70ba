import { createPinia } from 'pinia'
import { createApp } from 'vue'
// Styles of the function APIs (toasts, dialogs); components bring their own.
import 'vant/es/style/base.css'
import 'vant/es/toast/style'
import 'vant/es/dialog/style'
import 'vant/es/notify/style'
import App from './App.vue'
import { api, onSessionExpired, useSession } from './api'
import { handOver } from './handover'
import { router, toLogin } from './router'
import './style.css'

const app = createApp(App)
app.use(createPinia())
const session = useSession()
api.use(session.middleware)
onSessionExpired(() => toLogin(true))
// A mini-program's token hand-over (#rt=…) is taken before the first route.
void handOver((p) => session.start(p)).finally(() => {
  app.use(router)
  app.mount('#app')
})
