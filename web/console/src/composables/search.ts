// The custom search (自定义检索) of requests and cases: the filters a person
// sets, as the query of GET /api/v1/search/requests (JSON pages and the CSV
// export take the same ones).
import type { paths } from '@tiaojie/shared/api'

export type SearchQuery = NonNullable<paths['/api/v1/search/requests']['get']['parameters']['query']>

export interface SearchFilters {
  party_name: string
  party_phone: string
  place: string
  category: string
  tag: string
  classification: SearchQuery['classification'] | ''
  status: SearchQuery['status'] | ''
  station_id: number | null
  lead_id: number | null
  /** [from, to] local days, YYYY-MM-DD. */
  range: [string, string] | null
}

export function emptyFilters(): SearchFilters {
  return { party_name: '', party_phone: '', place: '', category: '', tag: '', classification: '', status: '', station_id: null, lead_id: null, range: null }
}

/** toQuery leaves out what is not set and trims the texts. */
export function toQuery(f: SearchFilters): SearchQuery {
  const q: SearchQuery = {}
  const text = (s: string) => s.trim() || undefined
  q.party_name = text(f.party_name)
  q.party_phone = text(f.party_phone)
  q.place = text(f.place)
  q.category = f.category || undefined
  q.tag = text(f.tag)
  q.classification = f.classification || undefined
  q.status = f.status || undefined
  q.station_id = f.station_id ?? undefined
  q.lead_id = f.lead_id ?? undefined
  if (f.range) [q.from, q.to] = f.range
  for (const k of Object.keys(q) as (keyof SearchQuery)[]) if (q[k] === undefined) delete q[k]
  return q
}

/** csvName names the export after its day and its filters' count. */
export function csvName(q: SearchQuery, today: string): string {
  const n = Object.keys(q).length
  return n ? `检索结果-${today}-${n}项条件.csv` : `检索结果-${today}.csv`
}

/** download saves a blob under a name (a CSV from the API). */
export function download(blob: Blob, name: string) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}
