import { describe, expect, it } from 'vitest'
import { useCursorList } from './cursorList'

describe('useCursorList', () => {
  it('pages by the cursor the server gave and appends', async () => {
    const asked: (string | undefined)[] = []
    const list = useCursorList<number>(async (cursor) => {
      asked.push(cursor)
      return cursor ? { data: { items: [3], next_cursor: null } } : { data: { items: [1, 2], next_cursor: 'c1' } }
    })
    await list.reload()
    expect(list.next.value).toBe('c1')
    await list.more()
    expect(asked).toEqual([undefined, 'c1'])
    expect(list.items.value).toEqual([1, 2, 3])
    expect(list.next.value).toBeNull()
  })

  it('keeps the server problem of a failed page, and a network failure becomes one', async () => {
    const fail = useCursorList<number>(async () => ({ error: { code: 'request.bad', message: '参数错误', status: 422 } }))
    await fail.reload()
    expect(fail.error.value?.message).toBe('参数错误')
    const down = useCursorList<number>(async () => {
      throw new TypeError('Failed to fetch')
    })
    await down.reload()
    expect(down.error.value?.code).toBe('client.network')
    expect(down.loading.value).toBe(false)
  })

  it('lets the newest load win when filters change while one is in flight', async () => {
    const gates: ((v: { data: { items: number[]; next_cursor: null } }) => void)[] = []
    const list = useCursorList<number>(() => new Promise((r) => gates.push(r)))
    const a = list.reload()
    const b = list.reload()
    gates[1]({ data: { items: [2], next_cursor: null } })
    gates[0]({ data: { items: [1], next_cursor: null } })
    await Promise.all([a, b])
    expect(list.items.value).toEqual([2])
  })
})

describe('useCursorList refresh', () => {
  it('reloads the first page without showing the loading state', async () => {
    const states: boolean[] = []
    let n = 0
    const list = useCursorList<number>(async () => {
      states.push(list.loading.value)
      return { data: { items: [++n], next_cursor: null } }
    })
    await list.reload()
    await list.refresh()
    expect(states).toEqual([true, false])
    expect(list.items.value).toEqual([2])
  })
})
