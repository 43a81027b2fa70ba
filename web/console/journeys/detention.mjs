// The 拘调融合 journey (detention desk), run by run.mjs with its helpers:
// staff1 of the demo centre sees the detainees with their badges, meets the
// intake form's field errors and registers a person; opens a profile, records
// a behaviour and overrides the label with a reason; approves on the calendar
// a visit the demo citizen booked; starts a joint mediation, posts to its
// thread and records the agreement, which supervisor1 confirms as
// early-release grounds; releases a detainee, whose 7-day follow-up the home
// station's officer visits. Screenshots: detention-*.png.
import assert from 'node:assert/strict'

export async function detentionJourney({ BASE, open, login, shot: take, step, citizenToken }) {
  // Screenshots without the live notifications over the page's toolbar.
  const shot = async (page, name) => {
    for (const b of await page.locator('.el-notification__closeBtn').all()) await b.click().catch(() => {})
    await take(page, name)
  }
  const staff = await open()
  const api = async (method, path, token, body, headers = {}) => {
    const r = await fetch(BASE + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: r.status, body: r.status === 204 ? null : await r.json() }
  }
  const staffToken = () => staff.evaluate(() => JSON.parse(localStorage.getItem('tiaojie.console.session')).accessToken)
  let detainee = 0

  await step('detention: staff1 sees the detainees with blue/yellow/red badges; the intake form shows field errors on its fields, then registers a person', async () => {
    await login(staff, 'staff1')
    await staff.click('[data-menu=detainees]')
    const rows = staff.locator('[data-test=detainee-list] .el-table__row')
    await rows.first().waitFor()
    for (const l of ['red', 'yellow', 'blue']) await staff.locator(`[data-test=detainee-list] [data-label=${l}]`).first().waitFor()
    await shot(staff, 'detention-01-detainees')
    await staff.click('[data-test=new-intake]')
    const form = staff.locator('[data-test=intake-form]')
    await form.locator('input[name=id_number]').fill('1234')
    await staff.click('[data-test=save-intake]')
    const err = form.locator('.el-form-item__error')
    await err.first().waitFor()
    assert.ok((await err.count()) >= 6, `every missing or bad field shows its error (${await err.count()})`)
    await form.locator('.el-form-item', { hasText: '身份证号' }).locator('.el-form-item__error').waitFor()
    await shot(staff, 'detention-02-intake-errors')
    // Filled in, the intake registers the person and opens their profile.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    const until = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 10 * 86_400_000))
    await form.locator('input[name=name]').fill('赵某')
    await form.locator('input[name=id_number]').fill('500112198512120078')
    await staff.click('[data-test=home-station]')
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '双凤桥派出所' }).click()
    await form.locator('input[name=case_cause]').fill('因债务纠纷殴打债主')
    await form.locator('input[name=punishment]').fill('行政拘留十日')
    for (const [name, value] of [['punishment_from', today], ['punishment_to', until]]) {
      await form.locator(`input[name=${name}]`).fill(value)
      await form.locator(`input[name=${name}]`).press('Enter')
    }
    await form.locator('textarea[name=health_notes]').fill('曾诊断抑郁症')
    await staff.click('[data-test=save-intake]')
    await staff.waitForURL(/\/console\/detention\/detainees\/\d+$/)
    await staff.locator('[data-test=profile]', { hasText: '赵某' }).waitFor()
    await staff.click('[data-menu=detainees]')
  })

  await step('detention: staff1 opens a profile, records a behaviour and overrides the label with a reason', async () => {
    await staff.locator('[data-test=detainee-list] .el-table__row', { hasText: '刘某' }).first().click()
    await staff.waitForURL(/\/console\/detention\/detainees\/\d+$/)
    detainee = Number(staff.url().split('/').pop())
    await staff.locator('[data-test=profile]', { hasText: '刘某' }).waitFor()
    await staff.locator('[data-test=risk-reasons] .el-tag').first().waitFor()
    // Family by name, never "用户 N" (issue 17).
    await staff.locator('.el-card', { hasText: '张三（配偶）' }).first().waitFor()
    await shot(staff, 'detention-03-profile')
    await staff.click('[data-test=record-behaviour]')
    await staff.locator('[data-test=behaviour-form] .el-radio', { hasText: '与他人冲突' }).click()
    await staff.fill('[data-test=behaviour-form] textarea[name=behaviour-note]', '午饭时与同监室人员争执，已制止并谈话教育')
    await staff.click('[data-test=save-behaviour]')
    await staff.locator('[data-test=behaviour-list]', { hasText: '午饭时与同监室人员争执' }).waitFor()
    // A label override needs its reason: without one the reason field says so.
    await staff.click('[data-test=override-label]')
    await staff.locator('[data-test=override-form] .el-radio', { hasText: '黄色' }).click()
    await staff.click('[data-test=save-override]')
    await staff.locator('[data-test=override-form] .el-form-item__error').first().waitFor()
    await staff.fill('[data-test=override-form] textarea[name=override-reason]', '经谈话情绪稳定，家属已协商赔偿方案')
    await staff.click('[data-test=save-override]')
    await staff.locator('[data-test=profile]', { hasText: '人工调整' }).waitFor()
    await shot(staff, 'detention-04-profile-updated')
    // Family are registered by their citizen account's number; a number
    // without one is named on its field.
    await staff.click('[data-test=add-family]')
    await staff.fill('[data-test=family-form] input[name=family-phone]', '13900009999')
    await staff.fill('[data-test=family-form] input[name=family-relationship]', '兄弟')
    await staff.click('[data-test=save-family]')
    await staff.locator('[data-test=family-form] .el-form-item', { hasText: '家属手机号' }).locator('.el-form-item__error').waitFor()
    await staff.keyboard.press('Escape')
  })

  let booking = 0
  await step('detention: a visit the citizen booked is approved on the calendar', async () => {
    const centres = await api('GET', '/api/v1/detention-centers', citizenToken)
    assert.equal(centres.status, 200)
    const d = new Date(Date.now() + 86_400_000)
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
    const slots = await api('GET', `/api/v1/detention-centers/${centres.body[0].id}/visit-slots?from=${tomorrow}&to=${tomorrow}`, citizenToken)
    const slot = slots.body.items.find((s) => s.remaining > 0)
    assert.ok(slot, `a visit slot tomorrow (${JSON.stringify(slots.body)})`)
    const booked = await api(
      'POST',
      '/api/v1/visit-bookings',
      citizenToken,
      { detainee_id: detainee, slot_id: slot.id, relationship: '配偶', visitors: [{ name: '张丽', id_number: '500112199001011234', phone: '13800138000' }] },
      { 'Idempotency-Key': `journey-visit-${Date.now()}` },
    )
    assert.equal(booked.status, 201, `booking answered ${booked.status} ${JSON.stringify(booked.body)}`)
    booking = booked.body.id
    await staff.click('[data-menu=visits]')
    await staff.locator('[data-test=visit-calendar]').waitFor()
    const card = staff.locator(`[data-booking="${booking}"]`)
    for (let i = 0; i < 10 && !(await card.isVisible()); i++) {
      await staff.waitForTimeout(300)
      if (i === 3) await staff.click('[data-test=next-week]') // tomorrow may open the next week
    }
    await card.waitFor()
    await staff.locator('[data-test=pending-count]').waitFor()
    await shot(staff, 'detention-05-calendar-pending')
    await card.locator('[data-visit-action=approve]').click()
    await staff.locator(`[data-booking="${booking}"][data-status=approved]`).waitFor()
    await shot(staff, 'detention-06-calendar-approved')
    const after = await api('GET', `/api/v1/visit-bookings/${booking}`, await staffToken())
    assert.equal(after.body.status, 'approved')
  })

  await step('detention: slot templates, blocked dates and rules open for the centre', async () => {
    await staff.getByRole('tab', { name: '时段模板' }).click()
    await staff.locator('[data-test=template-list] .el-table__row').first().waitFor()
    await shot(staff, 'detention-07-templates')
    await staff.getByRole('tab', { name: '会见规则' }).click()
    await staff.locator('[data-test=rules-form] input').first().waitFor()
  })

  await step('detention: staff1 starts a joint mediation from the profile and consults in its thread', async () => {
    await staff.goto(`${BASE}/console/detention/detainees/${detainee}`)
    await staff.click('[data-test=start-joint]')
    await staff.click('[data-test=joint-line]')
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '治安纠纷调解' }).click()
    await staff.click('[data-test=joint-units]')
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '渝北区人民法院执行局' }).click()
    await staff.locator('.el-select-dropdown__item:visible', { hasText: '渝北区妇女联合会' }).click()
    await staff.keyboard.press('Escape')
    await staff.fill('[data-test=joint-form] textarea[name=summary]', '宅基地边界纠纷，拟由法院执行局和妇联共同调解')
    await staff.click('[data-test=save-joint]')
    await staff.waitForURL(/\/console\/detention\/joint\/\d+$/)
    await staff.fill('textarea[name=message]', '当事人同意重新测量边界，请各单位提出意见')
    await staff.click('[data-test=post]')
    await staff.locator('[data-test=thread]', { hasText: '当事人同意重新测量边界' }).waitFor()
    // The thread names its author and unit (issue 17).
    await staff.locator('[data-test=thread] .msg', { hasText: '孙管教（渝北区拘留所）' }).waitFor()
    await shot(staff, 'detention-08-joint-thread')
    const joint = staff.url()
    await staff.click('[data-test=decide]')
    await staff.fill('[data-test=decide-form] input[name=place]', '渝北区拘留所会见室')
    await staff.fill('[data-test=decide-form] input[name=participants]', '孙管教，冯法官，何主任，刘某，邻居')
    await staff.fill('[data-test=decide-form] textarea[name=notes]', '重新测量边界，双方签字确认')
    await staff.click('[data-test=save-decision]')
    await staff.locator('[data-test=joint-state]', { hasText: '调解成功' }).waitFor()

    // The supervisor confirms the agreement as grounds for an early release.
    const sup = await open()
    await login(sup, 'supervisor1', { from: new URL(joint).pathname })
    await sup.waitForURL(joint)
    await sup.click('[data-test=mark-early]')
    await sup.locator('[data-test=early-form] .el-radio', { hasText: '减少行政拘留期限' }).click()
    await sup.fill('[data-test=early-form] textarea[name=early-note]', '和解成功，依法减少拘留期限')
    await sup.click('[data-test=save-early]')
    await sup.locator('[data-test=early-release]', { hasText: '减少行政拘留期限' }).waitFor()
    await shot(sup, 'detention-08b-early-release')
    await sup.context().close()
    await staff.click('[data-menu=joint]')
    await staff.locator('[data-test=joint-list] .el-table__row', { hasText: '刘某' }).first().waitFor()
    await shot(staff, 'detention-09-joints')
  })

  await step('detention: staff1 releases a detainee, whose 7-day follow-up the home station visits', async () => {
    await staff.click('[data-menu=detainees]')
    await staff.locator('[data-test=detainee-list] .el-table__row', { hasText: '王某' }).first().click()
    await staff.click('[data-test=release]')
    await staff.click('[data-test=save-depart]')
    await staff.locator('[data-test=profile]', { hasText: '已释放' }).waitFor()
    await staff.click('[data-menu=follow-ups]')
    await staff.locator('[data-test=follow-up-list] .el-table__row', { hasText: '王某' }).first().click()
    await staff.locator('[data-test=follow-up-drawer] [data-test=follow-up-state]', { hasText: '待回访' }).waitFor()
    await shot(staff, 'detention-10-follow-up')

    // The home station's officer records the visit on the same follow-up.
    const police = await open()
    await login(police, 'police1')
    await police.click('[data-menu=follow-ups]')
    await police.locator('[data-test=follow-up-list] .el-table__row', { hasText: '王某' }).first().click()
    await police.locator('[data-follow-up-action=visit]').click()
    await police.fill('.el-dialog:visible textarea[name=follow-up-note]', '上门走访，本人在家，情绪稳定，已与邻居和解')
    await police.click('.el-dialog:visible [data-test=confirm]')
    await police.locator('[data-test=follow-up-drawer] [data-test=follow-up-state]', { hasText: '回访中' }).waitFor()
    await police.locator('[data-test=follow-up-drawer]', { hasText: '上门走访，本人在家' }).waitFor()
    await shot(police, 'detention-11-follow-up-visit')
    await police.context().close()
  })
  await staff.context().close()
}
