// Print one document: mark the body so only its .print-only copy shows, let
// Vue render it, open the browser's print dialog, then unmark.
import { nextTick } from 'vue'

export async function printOnly() {
  document.body.classList.add('printing')
  await nextTick()
  window.print()
  // print() returns once the dialog closes (or at once where there is none);
  // afterprint comes too late in some browsers to rely on.
  setTimeout(() => document.body.classList.remove('printing'), 500)
}
