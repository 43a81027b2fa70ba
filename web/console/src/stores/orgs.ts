// The organisation tree (admins): every organisation, and the tree built
// from parent links for el-tree and the cascading pickers.
import type { Schemas } from '@tiaojie/shared/api'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'

export type Org = Schemas['Org']
export interface OrgNode {
  id: number
  label: string
  kind: Org['kind']
  children: OrgNode[]
}

export const useOrgs = defineStore('orgs', () => {
  const orgs = ref<Org[]>([])
  async function load() {
    const r = await api.GET('/api/v1/admin/organizations')
    if (!r.data) throw r.error
    orgs.value = r.data
  }
  const tree = computed(() => buildTree(orgs.value))
  const name = computed(() => (id: number | null | undefined) => orgs.value.find((o) => o.id === id)?.name ?? (id ? `#${id}` : ''))
  return { orgs, load, tree, name }
})

/** buildTree nests organisations under their parents; one whose parent is
 * unknown is a root. */
export function buildTree(orgs: Org[]): OrgNode[] {
  const nodes = new Map(orgs.map((o) => [o.id, { id: o.id, label: o.name, kind: o.kind, children: [] as OrgNode[] }]))
  const roots: OrgNode[] = []
  for (const o of orgs) {
    const parent = o.parent_id ? nodes.get(o.parent_id) : undefined
    ;(parent ? parent.children : roots).push(nodes.get(o.id)!)
  }
  return roots
}
