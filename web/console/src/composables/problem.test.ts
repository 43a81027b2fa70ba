import { describe, expect, it, vi } from 'vitest'

const shown: string[] = []
vi.mock('element-plus', () => ({ ElMessage: { error: (o: { message: string }) => shown.push(o.message) } }))

const { useFieldErrors } = await import('./problem')

describe('useFieldErrors', () => {
  it('puts the server field errors on their fields and shows no toast', () => {
    shown.length = 0
    const f = useFieldErrors()
    f.take({ type: 'about:blank', title: '', status: 422, detail: '', code: 'validation.failed', message: '请求参数有误', request_id: 'r', errors: [{ field: 'outcome', code: 'too_long', message: '过长' }] })
    expect(f.errors.value).toEqual({ outcome: '过长' })
    expect(shown).toEqual([])
  })

  it('shows a problem without field errors as a toast with its request ID', () => {
    shown.length = 0
    const f = useFieldErrors()
    f.take({ type: 'about:blank', title: '', status: 409, detail: '', code: 'work_order.taken', message: '该工单已被他人认领', request_id: 'r-7' })
    expect(f.errors.value).toEqual({})
    expect(shown).toEqual(['该工单已被他人认领（请求编号 r-7）'])
  })
})
