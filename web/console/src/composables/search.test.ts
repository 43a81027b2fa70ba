import { describe, expect, it } from 'vitest'
import { csvName, emptyFilters, toQuery } from './search'

describe('custom search filters', () => {
  it('send nothing when nothing is set', () => {
    expect(toQuery(emptyFilters())).toEqual({})
  })

  it('send every filter set, trimmed, and the date range as from and to', () => {
    const f = {
      ...emptyFilters(),
      party_name: ' 王 ',
      party_phone: '13900000001',
      place: '碧津社区',
      category: 'neighbour',
      tag: '家暴史',
      classification: 'civil' as const,
      status: 'closed' as const,
      station_id: 2,
      lead_id: 7,
      range: ['2026-11-01', '2026-11-30'] as [string, string],
    }
    expect(toQuery(f)).toEqual({
      party_name: '王',
      party_phone: '13900000001',
      place: '碧津社区',
      category: 'neighbour',
      tag: '家暴史',
      classification: 'civil',
      status: 'closed',
      station_id: 2,
      lead_id: 7,
      from: '2026-11-01',
      to: '2026-11-30',
    })
  })

  it('name the CSV by day and the number of filters', () => {
    expect(csvName({}, '2026-12-01')).toBe('检索结果-2026-12-01.csv')
    expect(csvName({ tag: 'x', status: 'closed' }, '2026-12-01')).toBe('检索结果-2026-12-01-2项条件.csv')
  })
})
