import { describe, expect, it } from 'vitest'
import { endActions, findingActions, incidentOpen, invitationActions, localStamp, roomInvitee, splitLines } from './legalwork'

describe('incidents', () => {
  it('are worked while open or assisted and ended three ways', () => {
    expect(['open', 'assisting', 'resolved', 'referred', 'closed'].filter((s) => incidentOpen(s as never))).toEqual(['open', 'assisting'])
    expect(endActions('assisting')).toEqual(['resolve', 'refer', 'close'])
    expect(endActions('resolved')).toEqual([])
  })
})

describe('findingActions', () => {
  it('lets the station report a fix and the cadre verify or reject it', () => {
    expect(findingActions('open', ['police'])).toEqual(['rectify'])
    expect(findingActions('rectified', ['police'])).toEqual([])
    expect(findingActions('rectified', ['supervisor'])).toEqual(['verify', 'reject'])
    expect(findingActions('verified', ['supervisor'])).toEqual([])
    expect(findingActions('open', ['lawyer'])).toEqual([])
  })
})

describe('invitationActions', () => {
  const inv = (state: 'invited' | 'accepted' | 'declined' | 'concluded' | 'withdrawn') => ({ state, expert_user_id: 7, invited_by: 3 })
  it('lets the expert answer and conclude, the inviter withdraw', () => {
    expect(invitationActions(inv('invited'), 7)).toEqual(['accept', 'decline'])
    expect(invitationActions(inv('accepted'), 7)).toEqual(['conclude'])
    expect(invitationActions(inv('concluded'), 7)).toEqual([])
    expect(invitationActions(inv('invited'), 3)).toEqual(['withdraw'])
    expect(invitationActions(inv('accepted'), 9, ['supervisor'])).toEqual(['withdraw'])
    expect(invitationActions(inv('declined'), 3)).toEqual([])
    expect(invitationActions(inv('invited'), 9, ['police'])).toEqual([])
  })
})

describe('helpers', () => {
  it('split a textarea into trimmed lines', () => {
    expect(splitLines(' 值班台账不全 \n\n 调解室无录音设备')).toEqual(['值班台账不全', '调解室无录音设备'])
    expect(splitLines('')).toEqual([])
  })
  it('build a room invitee by account or by name and phone; observers are accounts', () => {
    expect(roomInvitee('other_party', 'phone', 5, ' 王五 ', '13900000001')).toEqual({ kind: 'other_party', name: '王五', phone: '13900000001' })
    expect(roomInvitee('interpreter', 'user', 5, '', '')).toEqual({ kind: 'interpreter', user_id: 5 })
    expect(roomInvitee('observer', 'phone', 12, '王五', '139')).toEqual({ kind: 'observer', user_id: 12 })
  })
})

describe('localStamp', () => {
  it('writes the pickers’ format and reads back as the same instant', () => {
    const d = new Date('2026-11-30T12:15:30Z')
    const s = localStamp(d)
    expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/)
    expect(new Date(s).getTime()).toBe(d.getTime())
  })
})
