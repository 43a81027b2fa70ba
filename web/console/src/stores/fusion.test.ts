import { describe, expect, it } from 'vitest'
import { actionsClosed, followed, personActions } from './fusion'

describe('personActions', () => {
  it('offers the moves the register allows from each state', () => {
    expect(personActions('managed')).toEqual(['lose_contact', 'reoffend', 'release'])
    expect(personActions('lost_contact')).toEqual(['regain_contact', 'reoffend'])
    expect(personActions('reoffended')).toEqual(['release'])
    expect(personActions('released')).toEqual([])
  })
  it('records visits only for people still followed', () => {
    expect(['managed', 'lost_contact', 'reoffended', 'released'].filter((s) => followed(s as never))).toEqual(['managed', 'lost_contact'])
  })
})

describe('actionsClosed', () => {
  it('counts the closed items of a meeting', () => {
    const item = (state: 'open' | 'closed') =>
      ({ id: 1, meeting_id: 1, title: 't', assignee_id: 1, unit_id: 1, due_at: '', state, outcome: '', closed_by: 0, closed_at: null }) as const
    expect(actionsClosed([item('closed'), item('open')])).toBe('1/2')
    expect(actionsClosed(undefined)).toBe('0/0')
  })
})
