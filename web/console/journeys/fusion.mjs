// The police–justice fusion pages (警法融合) in Chromium against a running
// Tiaojie with the demo data. Started by TestFusionConsoleJourney
// (cmd/tiaojie), which passes BASE, CHROMIUM, SHOTS and PASSWORD and has
// planned a meeting of 双凤桥街道. People are picked by name, never typed as
// IDs (issue 17). Screenshots go to SHOTS as fusion-*.png.
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
mkdirSync(SHOTS, { recursive: true })

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})

async function shot(page, name) {
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(SHOTS, `fusion-${name}.png`) })
}

// pick chooses people by name in a PersonPicker (data-test=picker).
async function pick(page, picker, ...names) {
  await page.click(`[data-test=${picker}]`)
  for (const name of names) {
    await page.keyboard.type(name.slice(0, 1))
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).click()
  }
  await page.keyboard.press('Escape')
}

// at formats a time as the date pickers read it, in the browser's zone (Asia/Shanghai).
function at(t) {
  const d = new Date(t.getTime() + 8 * 3_600_000)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

async function step(name, f) {
  const t0 = Date.now()
  await f()
  console.log(`ok  ${name} (${Date.now() - t0} ms)`)
}

let failed = false
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`))

  await step('justice1 of 双凤桥司法所 signs in', async () => {
    await page.goto(`${BASE}/console/`)
    await page.waitForURL(/\/console\/login/)
    await page.fill('input[name=username]', 'justice1')
    await page.fill('input[name=password]', env('PASSWORD'))
    await page.click('button[type=submit]')
    await page.waitForURL((u) => !u.pathname.endsWith('/login'))
  })

  await step('the register shows the area’s three people with masked ID numbers', async () => {
    await page.click('[data-menu=special-people]')
    const rows = page.locator('[data-test=special-people] .el-table__body tr')
    await rows.nth(2).waitFor()
    if ((await rows.count()) !== 3) throw new Error(`the register has ${await rows.count()} rows, want 3`)
    await page.locator('[data-test=special-people]', { hasText: '5001**********0011' }).waitFor()
    await shot(page, '01-register')
  })

  await step('a person’s file shows the history; a visit is recorded', async () => {
    await page.locator('[data-test=special-people] .el-table__body tr', { hasText: '刘某' }).click()
    await page.locator('.el-drawer', { hasText: '全程跟踪记录' }).waitFor()
    await page.locator('.el-timeline-item', { hasText: '登记' }).waitFor()
    await page.click('[data-test=visit]')
    await page.fill('.el-dialog textarea[name=note]', '入户走访，本人在家，情绪稳定')
    await page.click('.el-dialog [data-test=confirm]')
    await page.locator('.el-timeline-item', { hasText: '入户走访，本人在家' }).waitFor()
    await shot(page, '02-file-after-visit')
    await page.keyboard.press('Escape')
  })

  await step('a person is registered with the officer, social worker and legal steward picked by name', async () => {
    await page.click('[data-test=register]')
    const dialog = page.locator('.el-dialog', { hasText: '登记人员' })
    await dialog.locator('.el-form-item', { hasText: '片区' }).locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '双凤桥街道' }).click()
    await dialog.locator('.el-form-item', { hasText: '类别' }).locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '社区矫正' }).click()
    await dialog.locator('input[name=name]').fill('陈某')
    await dialog.locator('input[name=id_number]').fill('500112199001010019')
    await pick(page, 'pick-officer', '李警官')
    await pick(page, 'pick-social-worker', '周司法助理员')
    await pick(page, 'pick-steward', '吴法律服务工作者')
    await shot(page, '02b-register-by-name')
    await dialog.locator('button', { hasText: '提交' }).click()
    await page.locator('[data-test=special-people] .el-table__body tr', { hasText: '陈某' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '全程跟踪记录' })
    for (const name of ['李警官', '周司法助理员', '吴法律服务工作者']) await drawer.locator('.el-descriptions', { hasText: name }).waitFor()
    await page.keyboard.press('Escape')
  })

  await step('the meeting’s minutes name the attendees picked by name; an action item goes to a person picked by name and is closed', async () => {
    await page.click('[data-menu=meetings]')
    await page.locator('[data-test=meetings] .el-table__body tr', { hasText: '双凤桥街道' }).click()
    const drawer = page.locator('.el-drawer', { hasText: '会议纪要' })
    await drawer.waitFor()
    const held = drawer.locator('.el-form-item', { hasText: '召开时间' }).locator('input')
    await held.fill(at(new Date()))
    await held.press('Enter')
    await pick(page, 'pick-attendees', '李警官', '周司法助理员', '吴法律服务工作者')
    await drawer.locator('textarea[name=minutes]').fill('研判本月特殊人群情况')
    await drawer.locator('[data-test=save-minutes]').click()
    await drawer.locator('[data-test=attendees]', { hasText: '李警官、周司法助理员、吴法律服务工作者' }).waitFor()
    await drawer.locator('input[placeholder=事项]').fill('为王某提供就业法律咨询')
    await pick(page, 'pick-assignee', '吴法律服务工作者')
    const due = drawer.locator('input[placeholder=办结期限]')
    await due.fill(at(new Date(Date.now() + 7 * 86_400_000)))
    await due.press('Enter')
    await drawer.locator('.el-form--inline button', { hasText: '提交' }).click()
    await page.locator('[data-test=meeting-actions] tr', { hasText: '为王某提供就业法律咨询' }).filter({ hasText: '吴法律服务工作者' }).waitFor()
    await shot(page, '03-meeting')
    await page.locator('[data-test=meeting-actions] button', { hasText: '办结' }).click()
    await page.locator('[data-test=meeting-actions]', { hasText: '已办结' }).waitFor()
    await shot(page, '04-action-closed')
  })
} catch (e) {
  failed = true
  console.log(`FAIL ${e.stack ?? e}`)
  for (const [i, ctx] of browser.contexts().entries()) {
    for (const [j, p] of ctx.pages().entries()) await p.screenshot({ path: join(SHOTS, `fusion-failure-${i}-${j}.png`) }).catch(() => {})
  }
} finally {
  await browser.close()
}
process.exit(failed ? 1 : 0)
