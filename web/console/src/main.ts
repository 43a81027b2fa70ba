import { createPinia } from 'pinia'
import { createApp } from 'vue'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
import App from './App.vue'
import { api, onSessionExpired, useSession } from './api'
import { router, toLogin } from './router'
import { useStream } from './stores/stream'
import './style.css'

const app = createApp(App)
app.use(createPinia())
api.use(useSession().middleware)
// The server ended the session: drop the staff stream (it was opened with the
// old token) and ask for a login that returns here.
onSessionExpired(() => {
  useStream().close()
  toLogin(true)
})
app.use(router)
app.mount('#app')
