// The video room (web/shared/src/room, RoomView) in Chromium with fake
// cameras and microphones: a staff host in the console and the case's
// filer (a citizen session on a phone-sized screen) join the same room.
// The filer waits in the lobby, the host is alerted and admits them; both
// sides' getStats() show inbound audio and video growing; the filer's
// signalling socket is cut and the call comes back by itself within 5 s
// without the lobby; the socket goes silent without closing (a route drops
// its messages) and the heartbeat brings the call back; a second device
// takes over (在其他设备进入), the filer leaves, enters again and is removed;
// after each ending every local track is ended. Started by TestVideoRoomJourney (cmd/tiaojie) with
// BASE, CHROMIUM, SHOTS, ROOM, PASSWORD, HOST_NAME, CITIZEN_TOKEN and
// CITIZEN_REFRESH.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const env = (k) => {
  const v = process.env[k]
  if (!v) throw new Error(`${k} is not set`)
  return v
}
const BASE = env('BASE')
const SHOTS = env('SHOTS')
const ROOM = env('ROOM')
mkdirSync(SHOTS, { recursive: true })

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    // room.test is this server on a name that is not localhost: a plain
    // http page, where browsers give no camera.
    `--host-resolver-rules=MAP room.test 127.0.0.1`,
  ],
})

async function open(viewport, origin = BASE) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  if (origin === BASE) await context.grantPermissions(['camera', 'microphone'], { origin })
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (e) => {
    console.log(`page error: ${e.message}`)
    errors.push(e.message)
  })
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`console error: ${msg.text()}`)
  })
  return page
}
const errors = []

async function shot(page, name) {
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(SHOTS, `room-${name}.png`) })
}

let failed = false
async function step(name, fn) {
  const t0 = Date.now()
  try {
    await fn()
    console.log(`ok   ${name} (${Date.now() - t0} ms)`)
  } catch (e) {
    failed = true
    console.log(`FAIL ${name}: ${e.stack ?? e}`)
    throw e
  }
}

/** inbound sums bytesReceived of inbound-rtp by kind on the room's current PeerConnection. */
const inbound = (page) =>
  page.evaluate(async () => {
    const out = { audio: 0, video: 0, pc: false, old: false }
    const pc = window.tiaojieRoom?.pc
    if (!pc) return out
    out.pc = true
    out.old = !!pc.__beforeCut
    ;(await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && (r.kind === 'audio' || r.kind === 'video')) out[r.kind] += r.bytesReceived || 0
    })
    return out
  })

/** growing waits until inbound audio and video both grow past what they were at the start. */
async function growing(page, who, timeoutMs = 15_000) {
  const first = await inbound(page)
  const until = Date.now() + timeoutMs
  let last = first
  while (Date.now() < until) {
    await page.waitForTimeout(200)
    last = await inbound(page)
    if (last.audio > first.audio && last.video > first.video && last.audio > 0 && last.video > 0) return last
  }
  throw new Error(`${who}: inbound audio/video not growing: ${JSON.stringify(first)} → ${JSON.stringify(last)}`)
}

const phase = (page) => page.locator('[data-test=room]').getAttribute('data-phase')

try {
  const host = await open({ width: 1366, height: 768 })
  const family = await open({ width: 390, height: 844 })

  await step('the host logs in to the console and enters the room after the pre-call check', async () => {
    await host.goto(`${BASE}/console/room/${ROOM}`)
    await host.waitForURL(/\/console\/login/)
    await host.fill('input[name=username]', 'lawyer1')
    await host.fill('input[name=password]', env('PASSWORD'))
    await host.click('button[type=submit]')
    await host.waitForURL(new RegExp(`/console/room/${ROOM}`))
    await host.locator('[data-test=room][data-phase=check]').waitFor()
    await host.locator('[data-test=net-check]', { hasText: '网络连接正常' }).waitFor()
    await host.locator('.preview video').waitFor()
    await shot(host, '01-host-check')
    await host.click('[data-test=room-enter]')
    await host.locator('[data-test=room][data-phase=in-call]').waitFor()
    await host.locator('[data-test=recording]').waitFor()
  })

  const me = await (await fetch(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${env('CITIZEN_TOKEN')}` } })).json()
  /** signIn puts the filer's session in the page's storage, as a login would. */
  async function signIn(page, origin) {
    await page.goto(`${origin}/console/login`)
    await page.evaluate(
      ([access, refresh, user]) =>
        localStorage.setItem('tiaojie.console.session', JSON.stringify({ accessToken: access, refreshToken: refresh, expiresAt: Date.now() + 14 * 60_000, user })),
      [env('CITIZEN_TOKEN'), env('CITIZEN_REFRESH'), me],
    )
  }

  await step('on a plain http page the room explains what to do, without a JavaScript error', async () => {
    const insecure = BASE.replace('127.0.0.1', 'room.test')
    const page = await open({ width: 390, height: 844 }, insecure)
    await signIn(page, insecure)
    await page.goto(`${insecure}/console/room/${ROOM}`)
    await page.locator('[data-test=media-guidance]', { hasText: 'HTTPS' }).waitFor()
    assert.equal(await page.evaluate(() => window.isSecureContext), false)
    assert.equal(await page.locator('[data-test=room-enter]').count(), 0, 'no entering without a camera API')
    await shot(page, '00-plain-http')
    await page.context().close()
  })

  // The filer's signalling sockets pass through a route that can silence the
  // current one both ways without closing it: a network that went away.
  const sockets = []
  await family.routeWebSocket(/\/api\/v1\/rooms\/.*\/signal$/, (ws) => {
    const conn = { silent: false }
    sockets.push(conn)
    const server = ws.connectToServer()
    ws.onMessage((m) => conn.silent || server.send(m))
    server.onMessage((m) => conn.silent || ws.send(m))
  })

  await step('the filer, on a phone-sized screen, checks devices and waits in the lobby', async () => {
    await signIn(family, BASE)
    await family.goto(`${BASE}/console/room/${ROOM}`)
    await family.locator('[data-test=room][data-phase=check]').waitFor()
    await family.locator('.preview video').waitFor()
    await shot(family, '02-family-check')
    await family.click('[data-test=room-enter]')
    await family.locator('[data-test=room][data-phase=lobby]').waitFor()
    assert.equal(await family.locator('[data-test=recording]').count(), 0, 'no recording mark in the lobby')
    // The control bar is on the screen.
    const bar = await family.locator('nav.bar').boundingBox()
    assert.ok(bar && bar.y + bar.height <= 844 && bar.y > 600, `control bar at ${JSON.stringify(bar)}`)
    await shot(family, '03-family-lobby')
  })

  await step('the host is alerted and admits the filer; both see and hear each other', async () => {
    await host.locator('[data-test=lobby-alert]', { hasText: '申请人' }).waitFor()
    await shot(host, '04-host-lobby-alert')
    await host.click('[data-test=lobby-alert-admit]')
    await family.locator('[data-test=room][data-phase=in-call]').waitFor()
    await family.locator('[data-test=recording]').waitFor()
    const h = await growing(host, 'host')
    const f = await growing(family, 'family')
    console.log(`     inbound bytes: host ${JSON.stringify(h)}, family ${JSON.stringify(f)}`)
    // People by name: the host's name on the filer's tile, 申请人 on the host's.
    await family.locator('[data-test=tile] .name', { hasText: env('HOST_NAME') }).waitFor()
    await host.locator('[data-test=tile] .name', { hasText: '申请人' }).waitFor()
    // A quality mark per remote tile, from getStats.
    await family.locator('[data-test=tile] [data-test=quality][data-quality=good]').waitFor()
    await shot(family, '05-family-in-call')
    await shot(host, '06-host-in-call')
  })

  await step('a camera turned off shows the person\'s avatar', async () => {
    await family.click('[data-test=ctl-cam]')
    await host.locator('[data-test=tile] [data-test=avatar]').waitFor()
    await shot(host, '07-host-sees-avatar')
    await family.click('[data-test=ctl-cam]')
    await host.locator('[data-test=tile] [data-test=avatar]').waitFor({ state: 'detached' })
  })

  await step('the filer\'s socket is cut; the call comes back by itself within 5 s, without the lobby', async () => {
    const seen = (await family.evaluate(() => window.tiaojieRoom.history())).length
    const t0 = Date.now()
    await family.evaluate(() => {
      window.tiaojieRoom.pc.__beforeCut = true // the PeerConnection of the cut session
      window.tiaojieRoom.ws.close()
    })
    // Back in the call with media flowing on a new connection.
    let recovered = 0
    while (Date.now() - t0 < 15_000) {
      const st = await inbound(family)
      if ((await phase(family)) === 'in-call' && st.pc && !st.old && st.audio > 0 && st.video > 0) {
        recovered = Date.now() - t0
        break
      }
      await family.waitForTimeout(100)
    }
    const phases = (await family.evaluate(() => window.tiaojieRoom.history())).slice(seen)
    const times = (await family.evaluate(() => window.tiaojieRoom.timeline())).slice(seen)
    const span = times.length ? `, ${times.at(-1).at - times[0].at} ms from the drop to the welcome` : ''
    console.log(`     phases after the cut: ${phases.join(' → ')}${span}; media back after ${recovered} ms`)
    assert.ok(recovered > 0, 'the call did not come back')
    assert.ok(recovered <= 5000, `the call came back after ${recovered} ms, more than 5 s`)
    assert.ok(phases.includes('reconnecting'), 'the call went through the reconnecting phase (its overlay)')
    assert.ok(!phases.includes('lobby'), 'the filer did not wait in the lobby again')
    await growing(family, 'family after the cut', 5000)
    await growing(host, 'host after the cut', 5000)
    console.log(`     both sides' inbound grows again ${Date.now() - t0} ms after the cut`)
    await shot(family, '08-family-recovered')
  })

  await step('the filer\'s socket goes silent without closing; the heartbeat finds it and the call comes back', async () => {
    const seen = (await family.evaluate(() => window.tiaojieRoom.history())).length
    await family.evaluate(() => (window.tiaojieRoom.pc.__beforeCut = true))
    const t0 = Date.now()
    sockets.at(-1).silent = true
    let recovered = 0
    while (Date.now() - t0 < 30_000) {
      const h = (await family.evaluate(() => window.tiaojieRoom.history())).slice(seen)
      if (h.includes('reconnecting') && (await phase(family)) === 'in-call') {
        const st = await inbound(family)
        if (st.pc && !st.old && st.audio > 0 && st.video > 0) {
          recovered = Date.now() - t0
          break
        }
      }
      await family.waitForTimeout(200)
    }
    assert.ok(recovered > 0, 'the call did not come back after the socket went silent')
    console.log(`     silent socket detected and the call back after ${recovered} ms (heartbeat: ping after 5 s, dead after 12 s)`)
    await growing(family, 'family after the silent socket', 5000)
    await growing(host, 'host after the silent socket', 5000)
  })

  const second = await open({ width: 390, height: 844 })
  await step('the filer enters on a second device: the first says 在其他设备进入 and lets go of its camera', async () => {
    await signIn(second, BASE)
    await second.goto(`${BASE}/console/room/${ROOM}`)
    await second.locator('[data-test=room][data-phase=check]').waitFor()
    await second.click('[data-test=room-enter]')
    await second.locator('[data-test=room][data-phase=in-call]').waitFor() // admitted a moment ago: no lobby
    await family.locator('[data-test=room-ended][data-reason=replaced]', { hasText: '其他设备' }).waitFor()
    const tracks = await family.evaluate(() => window.tiaojieRoom.localTracks().map((t) => t.readyState))
    assert.ok(tracks.length >= 2 && tracks.every((s) => s === 'ended'), `first device's tracks: ${tracks}`)
    await growing(second, 'second device')
    await shot(family, '09-family-replaced')
  })

  await step('the filer leaves: the end screen says so and every local track is ended', async () => {
    await second.click('[data-test=ctl-leave]')
    await second.locator('[data-test=room-ended][data-reason=left]', { hasText: '已离开' }).waitFor()
    const tracks = await second.evaluate(() => window.tiaojieRoom.localTracks().map((t) => `${t.kind}:${t.readyState}`))
    console.log(`     filer's local tracks: ${tracks.join(', ')}`)
    assert.ok(tracks.length >= 2, 'the filer had camera and microphone')
    assert.ok(tracks.every((t) => t.endsWith(':ended')), `live tracks after leaving: ${tracks}`)
    await shot(second, '10-family-left')
    await second.context().close()
  })

  await step('the filer enters again, waits (leaving forgot the admission), is admitted, then removed: 被移出', async () => {
    await host.locator('[data-test=tile]').waitFor({ state: 'detached' })
    await family.getByRole('button', { name: '重新进入' }).click()
    await family.locator('[data-test=room][data-phase=check]').waitFor()
    await family.click('[data-test=room-enter]')
    await family.locator('[data-test=room][data-phase=lobby]').waitFor()
    await host.click('[data-test=lobby-alert-admit]')
    await family.locator('[data-test=room][data-phase=in-call]').waitFor()
    await growing(family, 'family after entering again')
    host.once('dialog', (d) => void d.accept())
    await host.click('[data-test=ctl-people]')
    await host.click('[data-test=kick]')
    await family.locator('[data-test=room-ended][data-reason=kicked]', { hasText: '移出' }).waitFor()
    const tracks = await family.evaluate(() => window.tiaojieRoom.localTracks().map((t) => t.readyState))
    assert.ok(tracks.length >= 2 && tracks.every((s) => s === 'ended'), `filer tracks after removal: ${tracks}`)
    await shot(family, '11-family-removed')
  })

  await step('the host ends the call: host_ended, tracks ended', async () => {
    await host.locator('[data-test=tile]').waitFor({ state: 'detached' })
    await host.click('[data-test=ctl-end]')
    await host.click('[data-test=end-confirm]')
    await host.locator('[data-test=room-ended][data-reason=host_ended]').waitFor()
    const tracks = await host.evaluate(() => window.tiaojieRoom.localTracks().map((t) => t.readyState))
    assert.ok(tracks.length >= 2 && tracks.every((s) => s === 'ended'), `host tracks: ${tracks}`)
    await shot(host, '12-host-ended')
    await host.click('[data-test=room-exit]')
    await host.waitForURL((u) => !u.pathname.includes('/room/'))
  })

  assert.deepEqual(errors, [], 'no JavaScript errors in the pages')
} finally {
  await browser.close()
}
if (failed) process.exit(1)
