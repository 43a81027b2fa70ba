import { describe, expect, it } from 'vitest'
import { firmsOf, type Profile } from './firms'

const lawyer = (id: number, firm_id: number | null, firm_name: string) => ({ id, firm_id, firm_name }) as Profile

describe('firms of the directory', () => {
  it('list each firm once, leaving out lawyers without a firm', () => {
    expect(firmsOf([lawyer(1, 10, '重庆渝北律师事务所'), lawyer(2, 10, '重庆渝北律师事务所'), lawyer(3, null, ''), lawyer(4, 11, '重庆两江律师事务所')])).toEqual([
      { id: 11, name: '重庆两江律师事务所' },
      { id: 10, name: '重庆渝北律师事务所' },
    ])
  })
})
