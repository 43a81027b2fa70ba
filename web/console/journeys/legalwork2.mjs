// The console screens for the police–justice fusion work that had only an
// API (issue 19 parts 3–5) and the Yuyao room invitations (issue 20), with
// the demo data: police1 of 双凤桥派出所 records an incident and brings in
// mediator1 (a justice officer serving the station), who records an
// opinion; police1 attaches a calculation from the sample Chongqing standard
// and resolves it; supervisor1 (the county cadre paired with 双凤桥) logs an
// unannounced visit with a finding, police1 reports it rectified and the
// cadre verifies it; supervisor1 edits the expert pool, invites expert1 (a
// retired judge) to a case, and expert1 accepts and gives an opinion;
// lawyer1, the host of the case's video room, invites supervisor1 as an
// unseen observer and the other party by name and phone. Called last by run.mjs, with its lawyer1 page.
const env = (k) => {
  const v = process.env[k]
  if (!v) throw new Error(`${k} is not set`)
  return v
}

// lawyer: run.mjs's page of lawyer1, still signed in (a user has one live
// stream; a second sign-in would take it from that page).
export async function legalWork2Journey({ open, login, shot, step, assert, BASE, lawyer }) {
  const tag = Date.now() % 100000
  const call = async (token, method, path, body) => {
    const r = await fetch(`${BASE}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    assert.ok(r.ok, `${method} ${path} answered ${r.status}: ${text}`)
    return text ? JSON.parse(text) : null
  }
  const staff = async (username) => {
    const r = await fetch(`${BASE}/api/v1/auth/staff-login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: env('PASSWORD') }),
    })
    assert.equal(r.status, 200, `${username} signs in`)
    return r.json()
  }
  const pick = async (page, select, text) => {
    await page.click(`[data-test=${select}]`)
    await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
  }
  const prompt = async (page, text) => {
    const box = page.locator('.el-message-box')
    await box.waitFor()
    if (text) await box.locator('input, textarea').first().fill(text)
    await box.locator('.el-button--primary').click()
  }
  // Leave a page only once its live stream is open: a WebSocket cut off
  // before the server's 101 is an upstream error to the contract proxy.
  const live = (page) => page.locator('[data-test=stream-status]', { hasText: '实时推送' }).waitFor()
  const go = async (page, url) => {
    await live(page)
    await page.goto(url)
  }
  const done = async (page) => {
    await live(page)
    await page.context().close()
  }
  const quiet = (page) => page.evaluate(() => document.querySelectorAll('.el-message').forEach((e) => e.remove()))

  const police = await open()
  const sup = await open()
  let incidentId = 0
  const summary = `两人因停车纠纷发生推搡一方受伤（${tag}）`
  const opinion = `双方均有过错，伤者医疗费有票据，建议按责任比例当场调处（${tag}）`

  await step('police1 records an incident and brings in mediator1 (司法所干警)', async () => {
    await login(police, 'police1')
    await police.click('[data-menu=incidents]')
    await police.locator('[data-test=incident-list]').waitFor()
    await police.click('[data-test=incident-create]')
    const form = police.locator('[data-test=incident-form]')
    await form.getByText('治安案件').click()
    await form.locator('input[name=call_no]').fill(`110-${tag}`)
    await form.locator('input[name=place]').fill('双凤桥街道空港佳园')
    // Without a summary the form shows the server's message on the field.
    await police.click('[data-test=incident-submit]')
    await form.locator('.el-form-item__error').first().waitFor()
    await form.locator('textarea[name=summary]').fill(summary)
    await police.click('[data-test=incident-submit]')
    await police.waitForURL(/\/console\/incidents\/\d+$/)
    incidentId = Number(new URL(police.url()).pathname.split('/').pop())
    await police.locator('[data-test=incident-state]', { hasText: '待处置' }).waitFor()
    await police.click('[data-test=bring-in]')
    await pick(police, 'worker-select', '郑调解员')
    await police.click('[data-test=bring-in-submit]')
    await police.locator('[data-test=incident-workers] .el-table__row', { hasText: '郑调解员' }).waitFor()
    await police.locator('[data-test=incident-state]', { hasText: '法律力量介入中' }).waitFor()
    await quiet(police)
    await shot(police, 'console-legalwork-01-incident')
  })

  await step('mediator1 opens the incident from the list and records an opinion', async () => {
    const med = await open()
    await login(med, 'mediator1')
    await med.click('[data-menu=incidents]')
    await med.locator('[data-test=incident-list] .el-table__row', { hasText: summary }).click()
    await med.waitForURL(new RegExp(`/console/incidents/${incidentId}$`))
    await med.locator('[data-test=opinion-form] textarea[name=opinion]').fill(opinion)
    await med.click('[data-test=opinion-submit]')
    await med.locator('[data-test=incident-workers] .el-table__row', { hasText: opinion }).waitFor()
    await quiet(med)
    await shot(med, 'console-legalwork-02-opinion')
    await done(med)
  })

  await step('police1 attaches a calculation from the calculator form and resolves the incident', async () => {
    await live(police)
    await police.reload()
    await police.locator('[data-test=incident-workers] .el-table__row', { hasText: opinion }).waitFor()
    await police.click('[data-test=attach-calculation]')
    const calc = police.locator('[data-test=calculator-form]')
    await calc.waitFor()
    await police.locator('[data-test=sample-warning]').waitFor()
    await calc.locator('input[name=medical]').fill('1000')
    await police.keyboard.press('Tab')
    await calc.locator('input[name=hospital_days]').fill('10')
    await police.keyboard.press('Tab')
    await calc.locator('input[name=note]').fill('按示例标准测算，双方认可')
    await shot(police, 'console-legalwork-03-calculation-form')
    await police.click('[data-test=calculate]')
    const payable = police.locator('[data-test=incident-calculations] [data-test=calculation-payable]').first()
    await payable.waitFor()
    assert.equal((await payable.textContent()).trim(), '1500.00', 'payable: 1000 元 medical + 10 × 50 元 hospital food')
    await police.click('[data-test=end-incident]')
    const end = police.locator('[data-test=end-form]')
    await end.getByText('当场化解').click()
    await end.locator('textarea[name=outcome]').fill('双方达成协议，当场赔付 1500 元')
    await police.click('[data-test=end-submit]')
    await police.locator('[data-test=incident-state]', { hasText: '当场化解' }).waitFor()
    await police.locator('[data-test=incident-outcome]', { hasText: '1500' }).waitFor()
    assert.equal(await police.locator('[data-test=bring-in]').count(), 0, 'an ended incident takes no more workers')
    await quiet(police)
    await shot(police, 'console-legalwork-04-incident-resolved')
  })

  const finding = `调解室值班台账未及时登记（${tag}）`
  const openVisits = async (page) => {
    await go(page, `${BASE}/console/pairing`)
    await page.locator('[data-test=coverage-list] .el-table__row', { hasText: '双凤桥派出所' }).locator('[data-test=show-visits]').click()
    await page.locator('[data-test=pairing-visits]').waitFor()
  }
  const findingRow = (page) => page.locator('[data-test=finding-list] .el-table__row', { hasText: finding })

  await step('supervisor1 logs an unannounced visit to 双凤桥 with a finding (四不两直)', async () => {
    await login(sup, 'supervisor1')
    await openVisits(sup)
    await sup.click('[data-test=log-visit]')
    const form = sup.locator('[data-test=visit-form]')
    await form.locator('textarea[name=checked]').fill('接处警记录\n调解室台账')
    await form.locator('textarea[name=summary]').fill('夜间直奔值班室，抽查近一周警情纠纷处置')
    await form.locator('textarea[name=findings]').fill(finding)
    await sup.click('[data-test=visit-submit]')
    await findingRow(sup).getByText('待整改').waitFor()
    await quiet(sup)
    await shot(sup, 'console-legalwork-05-pairing-visit')
  })

  await step('police1 reports the finding rectified and the cadre verifies it', async () => {
    await openVisits(police)
    await findingRow(police).locator('[data-test=finding-rectify]').click()
    await prompt(police, '已补登台账并落实每日核对')
    await findingRow(police).getByText('已整改待核验').waitFor()
    assert.equal(await findingRow(police).locator('[data-test=finding-verify]').count(), 0, 'the station cannot verify its own fix')
    await quiet(police)
    await shot(police, 'console-legalwork-06-finding-rectified')
    await openVisits(sup)
    await findingRow(sup).locator('[data-test=finding-verify]').click()
    await prompt(sup, '复查属实')
    await findingRow(sup).getByText('已销号').waitFor()
  })

  // A case in mediation with a video room, set up through the API: filed by
  // the demo citizen, screened by police1, started by lawyer1, who opens a room.
  const [pol, law, sv] = [await staff('police1'), await staff('lawyer1'), await staff('supervisor1')]
  const filed = await call(env('CITIZEN_TOKEN'), 'POST', '/api/v1/requests', {
    kind: 'mediation',
    category: 'neighbour',
    description: `邻居装修噪音扰民，多次沟通无果（${tag}）`,
    station_id: Number(env('STATION_ID')),
    lawyer_id: Number(env('LAWYER_ID')),
    parties: [{ name: '赵六', phone: '13900000002', relation: '楼下邻居' }],
  })
  const caseId = filed.id
  await call(pol.access_token, 'POST', `/api/v1/requests/${caseId}/screen`, { classification: 'civil' })
  await call(law.access_token, 'POST', `/api/v1/requests/${caseId}/transition`, { action: 'start' })
  const room = (await call(law.access_token, 'POST', `/api/v1/requests/${caseId}/rooms`, {})).id

  await step('supervisor1 keeps the expert pool: a missing account shows on its field; expert2 gets a specialty', async () => {
    await go(sup, `${BASE}/console/experts`)
    await sup.locator('[data-test=expert-list] .el-table__row', { hasText: '钱法官' }).waitFor()
    await sup.click('[data-test=expert-add]')
    const form = sup.locator('[data-test=expert-form]')
    await sup.click('[data-test=expert-save]')
    await form.locator('.el-form-item__error').first().waitFor()
    await sup.keyboard.press('Escape')
    await form.waitFor({ state: 'hidden' })
    const row = sup.locator('[data-test=expert-list] .el-table__row', { hasText: '退休警察' })
    await row.getByRole('button', { name: '编辑' }).click()
    await form.locator('input[name=specialties]').fill(`治安调解，交通事故${tag}`)
    await sup.click('[data-test=expert-save]')
    await row.getByText(`交通事故${tag}`).waitFor()
    await quiet(sup)
    await shot(sup, 'console-legalwork-10-expert-pool')
  })

  await step('supervisor1 invites expert1 to the case from the case page', async () => {
    await go(sup, `${BASE}/console/cases/${caseId}`)
    await sup.locator('[data-test=expert-invitations]').waitFor()
    await sup.click('[data-test=invite-expert]')
    await pick(sup, 'expert-select', '钱法官')
    await sup.locator('[data-test=expert-invite-form] textarea[name=note]').fill('涉装修损害赔偿，请协助研判')
    await sup.click('[data-test=expert-invite-submit]')
    await sup.locator('[data-test=expert-invitation-list] .el-table__row', { hasText: '钱法官' }).getByText('待答复').waitFor()
    await quiet(sup)
    await shot(sup, 'console-legalwork-07-expert-invited')
  })

  await step('expert1 sees the invitation, accepts it and concludes with an opinion', async () => {
    const exp = await open()
    await login(exp, 'expert1')
    await exp.click('[data-menu=experts]')
    const row = exp.locator('[data-test=my-invitations] .el-table__row', { hasText: `#${caseId}` })
    await row.locator('[data-test=invitation-accept]').click()
    await prompt(exp, '可以，明天上午到所')
    await row.locator('[data-test=invitation-state]', { hasText: '已接受' }).waitFor()
    await row.locator('[data-test=invitation-conclude]').waitFor()
    await quiet(exp)
    await shot(exp, 'console-legalwork-08-expert-accepted')
    await row.locator('[data-test=invitation-conclude]').click()
    await prompt(exp, '装修噪音属相邻关系纠纷，建议限定施工时段并适当补偿')
    await row.locator('[data-test=invitation-state]', { hasText: '已出具意见' }).waitFor()
    await done(exp)
  })

  await step('lawyer1, host of the case room, invites supervisor1 as an unseen observer and the other party by phone', async () => {
    await lawyer.setViewportSize({ width: 1366, height: 768 })
    await go(lawyer, `${BASE}/console/cases/${caseId}`)
    await lawyer.locator('[data-test=video] code', { hasText: room }).waitFor()
    await lawyer.click('[data-test=room-invite]')
    const form = lawyer.locator('[data-test=room-invite-form]')
    await form.waitFor()
    await lawyer.locator('[data-test=room-invitation-list] [data-test=list-empty]').waitFor()
    await pick(lawyer, 'room-invite-kind', '旁听')
    // The observer is picked by name from the district's staff, not by ID.
    await lawyer.click('[data-test=room-invite-person]')
    await lawyer.keyboard.type('王')
    await lawyer.locator('.el-select-dropdown__item:visible', { hasText: '王督导' }).click()
    await lawyer.click('[data-test=room-invite-submit]')
    const row = lawyer.locator('[data-test=room-invitation-list] .el-table__row', { hasText: '王督导' })
    await row.getByText('旁听（不出镜）').waitFor()
    // The other party has no account: invited by name and phone, they wait
    // in the lobby until a host admits them.
    await pick(lawyer, 'room-invite-kind', '对方当事人')
    await form.locator('input[name=name]').fill('赵六')
    await form.locator('input[name=phone]').fill('13900000002')
    await lawyer.click('[data-test=room-invite-submit]')
    await lawyer.locator('[data-test=room-invitation-list] .el-table__row', { hasText: '赵六' }).getByText('对方当事人').waitFor()
    await quiet(lawyer)
    await shot(lawyer, 'console-legalwork-09-room-invitation')
    await lawyer.keyboard.press('Escape')
  })
  await done(sup)
  await done(police)
}
