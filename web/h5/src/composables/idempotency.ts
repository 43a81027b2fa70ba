/** newKey makes an Idempotency-Key: one per form, so a phone's retry of the
 * same submit files once. (crypto.randomUUID needs a secure context.) */
export function newKey(): string {
  const c = globalThis.crypto
  if (c?.randomUUID) return c.randomUUID()
  const b = new Uint8Array(16)
  c.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
