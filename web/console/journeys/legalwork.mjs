// The police–justice fusion pages of the console (issue 19): the pairing
// coverage view and the compensation calculator, with the demo data (the
// county cadre supervisor1 pairs 双凤桥 and 回兴; 两路 is unpaired; the
// Chongqing standard of the year is a sample). Called by run.mjs with its
// helpers.
export async function legalWorkJourney({ open, login, shot, step, assert }) {
  await step('the cadre sees the pairing coverage: 两路派出所 unpaired, the levels against their shares', async () => {
    const sup = await open()
    await login(sup, 'supervisor1')
    await sup.click('[data-menu=pairing]')
    await sup.locator('[data-test=coverage-list] .el-table__row').first().waitFor()
    await sup.locator('[data-test=coverage-complete]', { hasText: '未全覆盖' }).waitFor()
    const unpaired = sup.locator('[data-test=coverage-list] .el-table__row', { hasText: '两路派出所' })
    await unpaired.getByText('未包联').first().waitFor()
    const paired = sup.locator('[data-test=coverage-list] .el-table__row', { hasText: '双凤桥派出所' })
    await paired.getByText('王督导').waitFor()
    await shot(sup, '30-pairing-coverage')

    await step('the calculator itemises a claim from the sample Chongqing standard and says it is a sample', async () => {
      await sup.click('[data-menu=compensation]')
      await sup.locator('[data-test=standard-select]').waitFor()
      await sup.locator('[data-test=sample-warning]').waitFor()
      // A disability grade without the age is refused on the age field.
      await sup.fill('[data-test=calculator-form] input[name=grade]', '5')
      await sup.keyboard.press('Tab')
      await sup.click('[data-test=calculate]')
      await sup.locator('[data-test=calculator-form] .el-form-item__error').first().waitFor()
      await sup.fill('[data-test=calculator-form] input[name=grade]', '0')
      await sup.keyboard.press('Tab')
      // 1000 元 of medical costs and ten days in hospital at the sample's 50 元 a day.
      await sup.fill('[data-test=calculator-form] input[name=medical]', '1000')
      await sup.keyboard.press('Tab')
      await sup.fill('[data-test=calculator-form] input[name=hospital_days]', '10')
      await sup.keyboard.press('Tab')
      await sup.click('[data-test=calculate]')
      await sup.locator('[data-test=calculation-items] .el-table__row', { hasText: '住院伙食补助费' }).waitFor()
      const payable = await sup.locator('[data-test=payable]').textContent()
      assert.equal(payable, '1500.00', 'payable: 1000 元 medical + 10 × 50 元 hospital food')
      await shot(sup, '31-compensation')
    })
    await sup.context().close()
  })
}
