// How the console shows a problem: the server's Chinese message in a toast,
// and field errors on the form items they belong to (el-form-item :error).
import { fieldErrors, problemText, toProblem, type Problem } from '@tiaojie/shared/problem'
import { ElMessage } from 'element-plus'
import { ref } from 'vue'

export function showProblem(err: unknown): Problem {
  const p = toProblem(err)
  ElMessage.error({ message: problemText(p), grouping: true })
  return p
}

/** useFieldErrors keeps the server's field errors of one form. */
export function useFieldErrors() {
  const errors = ref<Record<string, string>>({})
  return {
    errors,
    clear() {
      errors.value = {}
    },
    /** take shows a problem: on its fields when it names any, else as a toast. */
    take(err: unknown) {
      const p = toProblem(err)
      errors.value = fieldErrors(p)
      if (Object.keys(errors.value).length === 0) showProblem(p)
      return p
    },
  }
}
