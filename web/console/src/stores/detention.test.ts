import { describe, expect, it } from 'vitest'
import { blankIntake, followUpActions, followUpSide, historyReason, intakeBody, intakeFieldErrors, jointActions, reasonText } from './detention'

describe('intake form', () => {
  it('sends what was filled: no centre when not picked, the family only with a phone, the ID number upper-cased', () => {
    const f = { ...blankIntake(), home_station_id: 3, name: ' 赵某 ', id_number: '50011219851212007x', punishment_from: '2026-12-01' }
    const body = intakeBody(f)
    expect(body).not.toHaveProperty('centre_id')
    expect(body).toMatchObject({ home_station_id: 3, name: '赵某', id_number: '50011219851212007X', punishment_from: '2026-12-01', family: [] })
    expect(intakeBody({ ...f, centre_id: 5, family_phone: '13800138000', family_relationship: '兄弟' })).toMatchObject({
      centre_id: 5,
      family: [{ phone: '13800138000', relationship: '兄弟' }],
    })
  })
  it("puts the server's family[0] errors on the form's family fields", () => {
    expect(intakeFieldErrors({ 'family[0].phone': '无此账号', name: '必填' })).toEqual({ family_phone: '无此账号', name: '必填' })
  })
})

describe('risk factors', () => {
  it('reads the factors the server names', () => {
    expect(reasonText('violence')).toBe('涉暴力')
    expect(reasonText('negative_behaviour:2')).toBe('不良表现 2次')
    expect(reasonText('unknown_factor')).toBe('unknown_factor')
  })
  it("reads why a label changed, keeping a staff override's own words", () => {
    expect(historyReason('intake', 'prior_records,violence')).toBe('有前科、涉暴力')
    expect(historyReason('behaviour', 'behaviour threat')).toBe('在所表现：扬言报复')
    expect(historyReason('override', 'violence, 谈话后稳定')).toBe('violence, 谈话后稳定')
  })
})

describe('joint mediation actions', () => {
  it('the units consult and the centre decides; only a supervisor marks an agreement as grounds, once', () => {
    expect(jointActions({ state: 'consulting', early_release: null }, ['detention_staff'])).toEqual(['post', 'decide'])
    expect(jointActions({ state: 'agreed', early_release: null }, ['detention_staff'])).toEqual([])
    expect(jointActions({ state: 'agreed', early_release: null }, ['supervisor'])).toEqual(['early_release'])
    const marked = { kind: 'end_judicial' as const, days: 0, note: '', approved_by: 1, approved_at: '' }
    expect(jointActions({ state: 'agreed', early_release: marked }, ['supervisor'])).toEqual([])
    expect(jointActions({ state: 'failed', early_release: null }, ['supervisor'])).toEqual([])
  })
})

describe('follow-up steps', () => {
  const f = { station_id: 3, centre_id: 5 }
  it('the home station visits and assesses; the centre signs off after the assessment', () => {
    const station = followUpSide(f, { roles: ['police'], orgId: 3 })
    const centre = followUpSide(f, { roles: ['detention_staff'], orgId: 5 })
    expect(station).toEqual({ station: true, centre: false })
    expect(centre).toEqual({ station: false, centre: true })
    expect(followUpSide(f, { roles: ['police'], orgId: 4 })).toEqual({ station: false, centre: false })
    expect(followUpActions('open', station)).toEqual(['visit'])
    expect(followUpActions('visiting', station)).toEqual(['visit', 'assess'])
    expect(followUpActions('visiting', centre)).toEqual([])
    expect(followUpActions('assessed', centre)).toEqual(['close'])
    expect(followUpActions('closed', followUpSide(f, { roles: ['supervisor'], orgId: 1 }))).toEqual([])
  })
})
