// The 18-digit resident ID number (GB 11643): 17 digits and a check
// character computed with ISO 7064 MOD 11-2. Checked in the browser before a
// booking is sent; the server checks the format again and answers on the field.

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checks = '10X98765432'

/** idCheckChar is the check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]
  return checks[sum % 11]
}

/** idNumberProblem answers why an ID number is wrong, or '' when it is right. */
export function idNumberProblem(raw: string): string {
  const v = raw.trim().toUpperCase()
  if (v === '') return '请填写身份证号'
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号应为 18 位（最后一位可以是 X）'
  const month = Number(v.slice(10, 12))
  const day = Number(v.slice(12, 14))
  if (month < 1 || month > 12 || day < 1 || day > 31) return '身份证号中的出生日期不正确'
  if (idCheckChar(v) !== v[17]) return '身份证号校验位不正确，请核对'
  return ''
}
