// Feedback on the detention desk (拘调融合 — 意见反馈), run by run.mjs after
// the detention journey with its helpers: partner1 (渝北区人民法院执行局)
// finds the joint mediation that journey decided in its unit's list (待评价),
// rates it (a reload shows the rating, not the form; the list shows the
// stars), and staff1 sees the
// centre's joint-feedback figure for the chosen period go up by one.
// Screenshots: feedback-*.png.
import assert from 'node:assert/strict'

export async function feedbackJourney({ BASE, open, login, shot, step }) {
  await step('feedback: partner1 rates a decided joint mediation; the centre sees its figure change', async () => {
    const staff = await open()
    await login(staff, 'staff1', { from: '/console/detention/detainees' })
    const figures = staff.locator('[data-test=feedback-figures]')
    await figures.locator('[data-test=feedback-period] .el-radio-button', { hasText: '近 7 天' }).click()
    const count = async () => Number(await figures.locator('[data-test=joint-feedback-count]').textContent())
    await staff.locator('[data-test=feedback-figures][data-loaded=week] [data-test=joint-feedback-count]').waitFor()
    const before = await count()

    // The newest decided joint mediation of the centre: the detention journey's, not yet rated by the court.
    const token = await staff.evaluate(() => JSON.parse(localStorage.getItem('tiaojie.console.session')).accessToken)
    const r = await fetch(`${BASE}/api/v1/joint-mediations?state=agreed&limit=50`, { headers: { Authorization: `Bearer ${token}` } })
    assert.equal(r.status, 200)
    const joints = (await r.json()).items
    assert.ok(joints.length > 0, 'a decided joint mediation')
    const joint = joints.reduce((a, b) => (b.id > a.id ? b : a))

    // The court finds it in its own list of the joint mediations it was
    // invited to, marked 待评价, and opens it from there.
    const court = await open()
    await login(court, 'partner1', { from: '/console/detention/joint' })
    const row = court.locator('[data-test=joint-list] .el-table__row', { has: court.locator('td', { hasText: new RegExp(`^${joint.id}$`) }) })
    await row.locator('[data-test=to-rate]').waitFor()
    await row.click()
    await court.waitForURL(`**/console/detention/joint/${joint.id}`)
    const card = court.locator('[data-test=joint-feedback]')
    await card.waitFor()
    await card.locator('[data-test=joint-stars] .el-rate__item').nth(3).click()
    await card.locator('textarea[name=feedback-comment]').fill('拘留所会商组织及时，材料齐全')
    await shot(court, 'feedback-01-joint-form')
    await court.click('[data-test=send-joint-feedback]')
    await card.locator('[data-test=joint-rated]', { hasText: '拘留所会商组织及时' }).waitFor()
    await shot(court, 'feedback-02-joint-rated')
    // After a reload the server says the court rated it (my_feedback): the
    // rating shows, not the form.
    await court.reload()
    await court.locator('[data-test=joint-feedback] [data-test=joint-rated]', { hasText: '拘留所会商组织及时' }).waitFor()
    assert.equal(await court.locator('[data-test=joint-feedback-form]').count(), 0, 'the form is back after a reload')
    assert.equal(await court.locator('[data-test=send-joint-feedback]').count(), 0, 'the send button is back after a reload')
    // Back in the list, the court's own rating stands on the row.
    await court.goBack()
    await court.locator('[data-test=joint-list] .el-table__row', { has: court.locator('td', { hasText: new RegExp(`^${joint.id}$`) }) })
      .locator('[data-test=my-rating]', { hasText: '★★★★' }).waitFor()
    await court.context().close()

    await staff.reload()
    await figures.locator('[data-test=feedback-period] .el-radio-button', { hasText: '近 7 天' }).click()
    await staff.waitForFunction(
      (want) => Number(document.querySelector('[data-test=joint-feedback-count]')?.textContent) === want,
      before + 1,
      { timeout: 10_000 },
    )
    assert.match(await figures.locator('[data-test=joint-feedback]').textContent(), /平均 \d\.\d 星/)
    await shot(staff, 'feedback-03-centre-figures')
    await staff.context().close()
  })
}
