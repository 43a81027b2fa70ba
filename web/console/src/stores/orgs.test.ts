import { describe, expect, it } from 'vitest'
import { buildTree } from './orgs'

describe('buildTree', () => {
  it('nests organisations under their parents and keeps parentless ones (law firms, partners) at the root', () => {
    const tree = buildTree([
      { id: 1, parent_id: null, kind: 'district', name: '渝北区公安分局' },
      { id: 2, parent_id: 1, kind: 'station', name: '双凤桥派出所' },
      { id: 3, parent_id: 1, kind: 'station', name: '回兴派出所' },
      { id: 4, parent_id: null, kind: 'law_firm', name: '重庆渝北律师事务所' },
      { id: 5, parent_id: 99, kind: 'partner', name: '父级已删除' },
    ])
    expect(tree.map((n) => n.label)).toEqual(['渝北区公安分局', '重庆渝北律师事务所', '父级已删除'])
    expect(tree[0].children.map((n) => n.id)).toEqual([2, 3])
  })
})
