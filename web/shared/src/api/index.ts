// The API client both apps use: types generated from openapi.yaml
// (schema.d.ts, `npm run generate`), calls through openapi-fetch. Nothing in
// the apps calls fetch by hand or writes an API type.
import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema'

export type { components, paths }
export type Schemas = components['schemas']
export type Problem = Schemas['Problem']
export type Api = Client<paths>

export interface ApiOptions {
  /** Origin of the server; '' (the default) is the page's own. */
  baseUrl?: string
  /** Accept-Language sent on every call; the server answers problems in it. */
  language?: string
  middleware?: Middleware[]
  fetch?: typeof globalThis.fetch
}

export function createApi(opts: ApiOptions = {}): Api {
  const api = createClient<paths>({
    baseUrl: opts.baseUrl ?? '',
    headers: { 'Accept-Language': opts.language ?? 'zh-CN' },
    fetch: opts.fetch,
  })
  for (const m of opts.middleware ?? []) api.use(m)
  return api
}
