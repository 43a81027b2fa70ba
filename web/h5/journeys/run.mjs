// The citizen and family app's journeys in Chromium (playwright-core,
// Debian's browser) on a 390×844 phone screen, against a running Tiaojie with
// the demo data. Started by TestH5Journeys (cmd/tiaojie), which passes BASE,
// CHROMIUM, SHOTS, HOOKS (the test's helper server: SMS codes and the staff's
// side done through the API), PHONE (the demo citizen, who is also family of
// a detainee) and LAWYER_ID. Every main page is checked with axe-core (no
// serious or critical violation) and leaves a screenshot h5-*.png in SHOTS.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'

const env = (k) => {
  const v = process.env[k]
  if (!v) throw new Error(`${k} is not set`)
  return v
}
const BASE = env('BASE')
const SHOTS = env('SHOTS')
const HOOKS = env('HOOKS')
const PHONE = env('PHONE')
const LAWYER_ID = env('LAWYER_ID')
const PASSWORD = env('PASSWORD')
mkdirSync(SHOTS, { recursive: true })
// Evaluated through the DevTools protocol: the app's CSP refuses inline scripts.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
})
const timings = {}

async function hook(path) {
  const r = await fetch(HOOKS + path, { method: 'POST' })
  const text = await r.text()
  if (!r.ok) throw new Error(`hook ${path}: ${r.status} ${text}`)
  return text
}

async function shot(page, name) {
  await page.waitForTimeout(400) // let transitions settle
  await page.screenshot({ path: join(SHOTS, `h5-${name}.png`) })
}

// axe checks the page as it is; serious and critical violations fail.
async function accessible(page, name) {
  // Toasts are transient (and Vant gives their dialog no name): wait them out.
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {})
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  })
  assert.deepEqual(found, [], `axe on ${name}`)
}

async function step(name, f) {
  const t0 = Date.now()
  await f()
  console.log(`ok  ${name} (${Date.now() - t0} ms)`)
}

/** inbound sums bytesReceived of inbound-rtp by kind on the room's PeerConnection. */
const inbound = (page) =>
  page.evaluate(async () => {
    const out = { audio: 0, video: 0 }
    const pc = window.tiaojieRoom?.pc
    if (!pc) return out
    ;(await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && (r.kind === 'audio' || r.kind === 'video')) out[r.kind] += r.bytesReceived || 0
    })
    return out
  })

/** growing waits until inbound audio and video both grow. */
async function growing(page, who, timeoutMs = 15_000) {
  const first = await inbound(page)
  const until = Date.now() + timeoutMs
  let last = first
  while (Date.now() < until) {
    await page.waitForTimeout(200)
    last = await inbound(page)
    if (last.audio > first.audio && last.video > first.video) return last
  }
  throw new Error(`${who}: inbound audio/video not growing: ${JSON.stringify(first)} → ${JSON.stringify(last)}`)
}

// The family rates a visit that took place (拘调融合 — 服务完成后意见反馈):
// staff mark attendance (the hook), 我的预约 offers 评价 on it, the stars
// and comment go in once and the list shows them instead of the button.
async function rateTheVisit(page, bookingId) {
  await hook(`/attend-visit?id=${bookingId}`)
  await page.goto(`${BASE}/h5/family`)
  await page.locator(`[data-test=booking-${bookingId}]`, { hasText: '已会见' }).waitFor()
  // The demo visit three days ago was rated before: the server says so
  // (my_feedback), so it shows its stars and offers no 评价.
  const demo = page.locator('[data-test^=feedback-visit-] [data-test=visit-rated]', { has: page.locator('[aria-label="已评 5 星"]') })
  await demo.first().waitFor()
  assert.equal(await page.locator('[data-test^=rate-visit-]').count(), 1, 'only the new visit offers 评价')
  await page.click(`[data-test=rate-visit-${bookingId}]`)
  const form = page.locator('[data-test=visit-rate-form]')
  await form.getByRole('button', { name: '4 星' }).click()
  await form.getByPlaceholder('说说您对本次会见的意见').fill('视频清晰，管教安排周到')
  await page.locator('[data-test=send-visit-feedback]:not([disabled])').waitFor()
  await shot(page, 'visit-feedback') // (waits out the button's fade from disabled, which axe would catch midway)
  await accessible(page, 'visit-feedback')
  await page.click('[data-test=send-visit-feedback]')
  const rated = page.locator(`[data-test=feedback-visit-${bookingId}] [data-test=visit-rated]`, { hasText: '视频清晰，管教安排周到' })
  await rated.waitFor()
  await rated.locator('[aria-label="已评 4 星"]').waitFor()
  assert.equal(await page.locator(`[data-test=rate-visit-${bookingId}]`).count(), 0, 'the visit is rated once')
  // After a reload (or on another phone) the server's answer shows it rated.
  await page.evaluate(() => localStorage.removeItem('tiaojie.h5.visitFeedback'))
  await page.reload()
  const again = page.locator(`[data-test=feedback-visit-${bookingId}] [data-test=visit-rated]`, { hasText: '视频清晰，管教安排周到' })
  await again.waitFor()
  await again.locator('[aria-label="已评 4 星"]').waitFor()
  assert.equal(await page.locator('[data-test^=rate-visit-]').count(), 0, 'no visit offers 评价 after the reload')
  await shot(page, 'visit-rated')
}

// The family rates a decided joint mediation (联调联处) of their detainee in
// 联合调解: the demo holds one they rated (its stars show) and one they have
// not; they rate it once, and after a reload it shows 已评价 with the stars.
// Each decision reached their inbox, and its notice opens 联合调解 too.
async function rateTheJointMediation(page) {
  await page.goto(`${BASE}/h5/inbox`)
  await page.locator('.van-cell', { hasText: '联合调解已结束' }).first().click()
  await page.waitForURL(/\/h5\/family\/joints$/)
  await page.goto(`${BASE}/h5/family`)
  await page.click('[data-test=family-joints]')
  await page.waitForURL(/\/h5\/family\/joints$/)
  await page.locator('[data-test^=joint-] [data-test=joint-state]').first().waitFor()
  const ratedBefore = page.locator('[data-test=joint-rated]', { has: page.locator('[aria-label="已评 5 星"]') })
  await ratedBefore.waitFor()
  const buttons = page.locator('[data-test^=rate-joint-]')
  assert.equal(await buttons.count(), 1, 'one decided joint mediation is not rated yet')
  const id = (await buttons.first().getAttribute('data-test')).replace('rate-joint-', '')
  await page.locator(`[data-test=joint-${id}] [data-test=joint-state]`, { hasText: '调解成功' }).waitFor()
  await accessible(page, 'joints')
  await shot(page, 'joints')
  await buttons.first().click()
  const form = page.locator('[data-test=joint-rate-form]')
  await form.getByRole('button', { name: '4 星' }).click()
  await form.getByPlaceholder('说说您对本次联合调解的意见').fill('赔偿谈妥了，谢谢各方')
  await page.locator('[data-test=send-joint-feedback]:not([disabled])').waitFor()
  await shot(page, 'joint-feedback') // (waits out the button's fade from disabled, which axe would catch midway)
  await accessible(page, 'joint-feedback')
  await page.click('[data-test=send-joint-feedback]')
  await page.locator(`[data-test=feedback-joint-${id}] [data-test=joint-rated]`, { hasText: '赔偿谈妥了，谢谢各方' }).waitFor()
  assert.equal(await page.locator('[data-test^=rate-joint-]').count(), 0, 'the joint mediation is rated once')
  await page.reload()
  const rated = page.locator(`[data-test=feedback-joint-${id}] [data-test=joint-rated]`, { hasText: '已评价' })
  await rated.waitFor()
  await rated.locator('[aria-label="已评 4 星"]').waitFor()
  assert.match(await rated.textContent(), /赔偿谈妥了，谢谢各方/)
  assert.equal(await page.locator('[data-test^=rate-joint-]').count(), 0, 'no form after the reload')
  await accessible(page, 'joints-rated')
  await shot(page, 'joint-rated')
}

async function pickInPicker(page, text) {
  const popup = page.locator('.van-popup:visible')
  await popup.locator('.van-picker-column__item', { hasText: text }).first().click()
  await page.waitForTimeout(400) // the column scrolls to the option
  await popup.locator('.van-picker__confirm').click()
}

let failed = false
const pageErrors = []
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
await context.grantPermissions(['camera', 'microphone'], { origin: BASE })
try {
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => {
    console.log(`page error: ${e.message}`)
    pageErrors.push(e.message)
  })
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    console.log(`console error: ${msg.text()}`)
    if (msg.text().includes('Content Security Policy')) pageErrors.push(msg.text())
  })
  // Nothing is fetched from another origin.
  page.on('request', (r) => {
    if (!r.url().startsWith(BASE) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) pageErrors.push(`request to ${r.url()}`)
  })
  let requestId = 0
  let png = ''

  await step('a citizen signs in with an SMS code (resend countdown)', async () => {
    await page.goto(`${BASE}/h5/`)
    await page.waitForURL(/\/h5\/login/)
    await page.getByPlaceholder('请输入手机号').fill(PHONE)
    // The JavaScript the first visit loads (gzipped as a server sends it).
    const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'assets')
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')))
    const gz = scripts.reduce((sum, url) => sum + gzipSync(readFileSync(join(dist, basename(new URL(url).pathname))), { level: 9 }).length, 0)
    timings.firstLoadScripts = scripts.length
    timings.firstLoadJsGzipKB = Math.round(gz / 1024)
    assert.ok(gz <= 250 * 1024, `first load is ${gz} bytes of gzipped JavaScript, over the 250 KB budget`)
    await accessible(page, 'login')
    await shot(page, 'login')
    await page.click('[data-test=send-code]')
    await page.locator('[data-test=send-code]', { hasText: '秒后重发' }).waitFor()
    assert.ok(await page.locator('[data-test=send-code]').isDisabled())
    const code = await hook(`/sms?phone=${PHONE}`)
    await page.getByPlaceholder('6 位短信验证码').fill(code)
    await page.getByRole('button', { name: '登录' }).click()
    await page.waitForURL((u) => u.pathname === '/h5/')
    await page.locator('[data-test=go-file]').waitFor()
    await accessible(page, 'home')
    await shot(page, 'home')
  })

  await step('the citizen files with a photo and a chosen lawyer', async () => {
    await page.click('[data-test=go-file]')
    await page.waitForURL(/\/h5\/file/)
    await page.click('[data-test=category]')
    await pickInPicker(page, '邻里')
    await page.getByPlaceholder('请说明发生了什么').fill(`楼上卫生间漏水三个月，多次协商未果（${Date.now() % 100000}）`)
    await page.getByPlaceholder('如：某小区 3 栋').fill('双凤桥街道 1 号')
    await page.click('[data-test=station]')
    await pickInPicker(page, '双凤桥派出所')
    await page.click('[data-test=add-party]')
    await page.getByPlaceholder('姓名').fill('王五')
    // A large photo drawn in the page, compressed there before upload.
    png = await page.evaluate(() => {
      const c = document.createElement('canvas')
      c.width = 2000
      c.height = 1500
      const g = c.getContext('2d')
      const img = g.createImageData(2000, 1500)
      for (let i = 0; i < img.data.length; i += 4) {
        const x = (i / 4) % 2000
        img.data[i] = (x / 8 + Math.random() * 60) | 0
        img.data[i + 1] = (Math.random() * 255) | 0
        img.data[i + 2] = 128
        img.data[i + 3] = 255
      }
      g.putImageData(img, 0, 0)
      return c.toDataURL('image/png').split(',')[1]
    })
    await page.locator('.van-uploader__input').setInputFiles({ name: '漏水.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') })
    await page.locator('.van-uploader__preview').first().waitFor()
    await page.click('[data-test=choose]')
    await page.locator(`[data-test=pick-${LAWYER_ID}]`).waitFor()
    await accessible(page, 'directory')
    await shot(page, 'directory')
    await page.click(`[data-test=pick-${LAWYER_ID}]`)
    await shot(page, 'file')
    await accessible(page, 'file')
    await page.click('[data-test=submit]')
    await page.waitForURL(/\/h5\/requests\/\d+$/)
    requestId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('[data-test=status]', { hasText: '已提交' }).waitFor()
    const uploaded = JSON.parse(await hook(`/attachments?id=${requestId}`))
    assert.equal(uploaded.length, 1, 'one attachment')
    assert.equal(uploaded[0].content_type, 'image/jpeg', 'the photo was re-encoded as JPEG in the browser')
    assert.ok(uploaded[0].size < 1_000_000, `compressed photo is ${uploaded[0].size} bytes`)
    timings.photoBytes = uploaded[0].size
  })

  await step('police screen it and the timeline shows it without a reload', async () => {
    await hook(`/screen?id=${requestId}`)
    await page.locator('[data-test=timeline]', { hasText: '民警已筛查受理' }).waitFor({ timeout: 25_000 })
    await page.locator('[data-test=status]', { hasText: '已分派' }).waitFor({ timeout: 25_000 })
    await accessible(page, 'request')
    await shot(page, 'request')
    // A photo added later on the request's page.
    await page.locator('.van-uploader__input').setInputFiles({ name: '补充.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') })
    await page.locator('.van-cell', { hasText: '附件' }).filter({ hasText: '2 个' }).waitFor()
  })

  await step('the session survives an expired access token (refresh token)', async () => {
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem('tiaojie.h5.session')).refreshToken)
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('tiaojie.h5.session'))
      s.expiresAt = Date.now() - 1000
      localStorage.setItem('tiaojie.h5.session', JSON.stringify(s))
    })
    await page.goto(`${BASE}/h5/requests`)
    await page.locator(`[data-test=request-${requestId}]`).waitFor()
    assert.ok(page.url().endsWith('/h5/requests'))
    const after = await page.evaluate(() => JSON.parse(localStorage.getItem('tiaojie.h5.session')).refreshToken)
    assert.notEqual(after, before, 'the refresh token was rotated')
    await accessible(page, 'requests')
    await shot(page, 'requests')
  })

  await step('the case is closed and the citizen rates it', async () => {
    await hook(`/close?id=${requestId}`)
    await page.goto(`${BASE}/h5/requests/${requestId}`)
    await page.locator('[data-test=status]', { hasText: '已办结' }).waitFor()
    await page.locator('[data-test=rate-form] .van-rate__item').nth(4).click()
    await page.getByPlaceholder('说说您对调解结果的看法').fill('调解及时，很满意')
    await page.getByRole('button', { name: '提交评价' }).click()
    await page.locator('[data-test=rated]', { hasText: '调解及时，很满意' }).waitFor()
    await shot(page, 'rated')
  })

  await step("the family applies for mediation on the detainee's behalf", async () => {
    await page.goto(`${BASE}/h5/family`)
    await page.locator('[data-test^=file-for-]').first().click()
    await page.waitForURL(/\/h5\/file\?detainee=\d+/)
    await page.getByText('为在押人员').waitFor()
    await page.click('[data-test=category]')
    await pickInPicker(page, '邻里')
    await page.getByPlaceholder('请说明发生了什么').fill('宅基地边界纠纷，希望通过调解化解，解除双方矛盾')
    await page.click('[data-test=station]')
    await pickInPicker(page, '双凤桥派出所')
    await shot(page, 'file-for-detainee')
    await page.click('[data-test=submit]')
    await page.waitForURL(/\/h5\/requests\/\d+$/)
    const id = Number(new URL(page.url()).pathname.split('/').pop())
    const filed = JSON.parse(await hook(`/request?id=${id}`))
    assert.ok(filed.detainee_id > 0, `filed without the detainee: ${JSON.stringify(filed)}`)
  })

  let bookingId = 0
  await step('the family reads the rules and books a video visit with an ID check', async () => {
    // The centre's next video visit starts in a few minutes (the test's hook).
    await hook('/visit-soon')
    await page.goto(`${BASE}/h5/family`)
    const book = page.locator('[data-test^=book-]').first()
    await book.waitFor()
    await accessible(page, 'family')
    await shot(page, 'family')
    await book.click()
    await page.locator('[data-test=rules]').waitFor()
    await shot(page, 'rules')
    await page.click('[data-test=agree-rules]')
    await page.locator('button.day:not([disabled])').first().click()
    await page.locator('[data-test^=slot-]').first().click()
    await page.getByPlaceholder('姓名').fill('李四')
    const id = page.getByPlaceholder('18 位身份证号')
    await id.fill('110105194912310021')
    await id.blur()
    await page.getByText('身份证号校验位不正确').waitFor()
    await id.fill('11010519491231002X')
    await id.blur()
    await page.getByPlaceholder('11 位手机号').fill(PHONE)
    await accessible(page, 'book')
    await shot(page, 'book')
    await page.click('[data-test=book]')
    await page.waitForURL(/\/h5\/bookings\/\d+$/)
    bookingId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.locator('[data-test=booking-status]', { hasText: '待审核' }).waitFor()
  })

  await step('staff approve it; the family sees it and taps through from the notice to the room', async () => {
    await hook(`/approve-visit?id=${bookingId}`)
    await page.reload()
    await page.locator('[data-test=booking-status]', { hasText: '已通过' }).waitFor()
    await page.locator('[data-test=join-room]').waitFor()
    await shot(page, 'booking')
    // The tab bar's badge counts the unread notices.
    await page.goto(`${BASE}/h5/family`)
    const badge = page.locator('[data-test=tab-inbox] .van-badge')
    await badge.waitFor()
    assert.match(await badge.textContent(), /^\d+$/)
    await page.click('[data-test=tab-inbox]')
    await page.waitForURL(/\/h5\/inbox$/)
    const notice = page.locator('[data-test=notice-room]').first()
    await notice.waitFor()
    await accessible(page, 'inbox')
    await shot(page, 'inbox')
    await notice.click()
    await page.waitForURL(/\/h5\/room\//)
    await page.locator('[data-test=room][data-phase=check]').waitFor()
    await page.locator('.preview video').waitFor()
    await shot(page, 'room-check')
  })

  const room = decodeURIComponent(new URL(page.url()).pathname.split('/').pop())
  const host = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage()
  await host.context().grantPermissions(['camera', 'microphone'], { origin: BASE })
  host.setDefaultTimeout(20_000)
  await step("the centre's staff host the visit from the console", async () => {
    await host.goto(`${BASE}/console/room/${room}`)
    await host.waitForURL(/\/console\/login/)
    await host.fill('input[name=username]', 'staff1')
    await host.fill('input[name=password]', PASSWORD)
    await host.click('button[type=submit]')
    await host.waitForURL(new RegExp(`/console/room/${room}`))
    await host.locator('[data-test=room][data-phase=check]').waitFor()
    await host.click('[data-test=room-enter]')
    await host.locator('[data-test=room][data-phase=in-call]').waitFor()
  })

  await step("at the visit's start the family enters, waits, is admitted; both sides see and hear each other", async () => {
    // The visit's time comes: the test moves its clock there (no waiting).
    console.log(`     the server's clock moved to ${await hook('/visit-begins')}`)
    await page.click('[data-test=room-enter]')
    await page.locator('[data-test=room][data-phase=lobby]').waitFor()
    const bar = await page.locator('nav.bar').boundingBox()
    assert.ok(bar && bar.y + bar.height <= 844, `control bar off the screen: ${JSON.stringify(bar)}`)
    await shot(page, 'room-lobby')
    await host.locator('[data-test=lobby-alert-admit]').click()
    await page.locator('[data-test=room][data-phase=in-call]').waitFor()
    const f = await growing(page, 'family')
    const h = await growing(host, 'host')
    console.log(`     inbound bytes: family ${JSON.stringify(f)}, host ${JSON.stringify(h)}`)
    await shot(page, 'room-in-call')
  })

  await step("the family's socket is cut; the call comes back by itself within 5 s", async () => {
    const seen = (await page.evaluate(() => window.tiaojieRoom.history())).length
    const t0 = Date.now()
    await page.evaluate(() => window.tiaojieRoom.ws.close())
    let recovered = 0
    let phases = []
    while (Date.now() - t0 < 15_000) {
      phases = (await page.evaluate(() => window.tiaojieRoom.history())).slice(seen)
      const st = await inbound(page)
      if (phases.includes('reconnecting') && (await page.locator('[data-test=room]').getAttribute('data-phase')) === 'in-call' && st.audio > 0 && st.video > 0) {
        recovered = Date.now() - t0
        break
      }
      await page.waitForTimeout(100)
    }
    console.log(`     phases after the cut: ${phases.join(' → ')}; back after ${recovered} ms`)
    timings.reconnectMs = recovered
    assert.ok(recovered > 0 && recovered <= 5000, `the call came back after ${recovered} ms`)
    assert.ok(!phases.includes('lobby'), 'the family waited in the lobby again')
    await growing(page, 'family after the cut', 5000)
  })

  await step('the family leaves: every local track is ended', async () => {
    await page.click('[data-test=ctl-leave]')
    await page.locator('[data-test=room-ended]').waitFor()
    const tracks = await page.evaluate(() => window.tiaojieRoom.localTracks().map((t) => `${t.kind}:${t.readyState}`))
    assert.ok(tracks.length >= 2 && tracks.every((t) => t.endsWith(':ended')), `local tracks after leaving: ${tracks}`)
    await shot(page, 'room-left')
  })
  await step('the centre marks the visit attended; the family rates it once on 我的预约', () => rateTheVisit(page, bookingId))
  await step('the decision notice opens 联合调解; the family rates the decided joint mediation once; a reload shows 已评价', () => rateTheJointMediation(page))
  await step('the family books another visit, reschedules it within the rules, then cancels it', async () => {
    await page.goto(`${BASE}/h5/family`)
    await page.locator('[data-test^=book-]').first().click()
    await page.click('[data-test=agree-rules]')
    await page.locator('button.day:not([disabled])').first().click()
    await page.locator('[data-test^=slot-]').first().click()
    await page.getByPlaceholder('姓名').fill('李四')
    await page.getByPlaceholder('18 位身份证号').fill('11010519491231002X')
    await page.getByPlaceholder('11 位手机号').fill(PHONE)
    await page.click('[data-test=book]')
    await page.waitForURL(/\/h5\/bookings\/\d+$/)
    const before = await page.locator('.van-cell', { hasText: '时间' }).textContent()
    await page.click('[data-test=reschedule]')
    await page.waitForURL(/reschedule=/)
    await page.locator('button.day:not([disabled])').last().click()
    await page.locator('[data-test^=slot-]').first().click()
    await page.click('[data-test=reschedule]')
    await page.waitForURL(/\/h5\/bookings\/\d+$/)
    await page.locator('[data-test=booking-status]', { hasText: '待审核' }).waitFor()
    const after = await page.locator('.van-cell', { hasText: '时间' }).textContent()
    assert.notEqual(after, before, 'the booking moved')
    await page.click('[data-test=cancel]')
    await page.locator('.van-dialog__confirm').click()
    await page.locator('[data-test=booking-status]', { hasText: '已取消' }).waitFor()
    await accessible(page, 'booking')
    await shot(page, 'booking-cancelled')
  })
  assert.deepEqual(pageErrors, [], 'no JavaScript error, no CSP refusal, no request to another origin')
  console.log(`timings ${JSON.stringify(timings)}`)
} catch (e) {
  failed = true
  console.log(`FAIL ${e.stack ?? e}`)
  for (const [j, p] of browser.contexts().flatMap((c) => c.pages()).entries()) await p.screenshot({ path: join(SHOTS, `h5-failure-${j}.png`) }).catch(() => {})
} finally {
  await browser.close()
}
process.exit(failed ? 1 : 0)
