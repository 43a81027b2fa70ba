// The same typed client in mini-program code: a `fetch` over `wx.request`,
// so openapi-fetch (and every type generated from openapi.yaml) runs in a
// WeChat mini-program as it does in the browser. See docs/MINIPROGRAM.md.
//
// openapi-fetch builds a `Request` and reads a `Response`: the mini-program
// runtime must offer the Fetch API classes (Headers, Request, Response) —
// load a polyfill for them first where the base library lacks them.
import type { Middleware } from 'openapi-fetch'
import { createApi, type Api } from '../api'

/** The part of wx.request's options the adapter uses. */
export interface WxRequestOptions {
  url: string
  method: string
  header: Record<string, string>
  data?: ArrayBuffer
  dataType: string
  responseType: 'arraybuffer'
  timeout?: number
  success: (res: WxResponse) => void
  fail: (err: { errMsg: string }) => void
}

export interface WxResponse {
  data: ArrayBuffer | string
  statusCode: number
  header: Record<string, string>
}

/** The part of the `wx` object the adapter needs. */
export interface WxLike {
  request(o: WxRequestOptions): { abort(): void } | void
}

export interface WxFetchOptions {
  /** Milliseconds before wx.request gives up (its default is 60 s). */
  timeout?: number
}

/** wxFetch answers a fetch that sends through wx.request. Bodies go and come
 * as bytes (no JSON parsing by wx: the client parses, and problems keep
 * their type), headers both ways, a network failure is a TypeError as with
 * fetch, an aborted signal aborts the request. */
export function wxFetch(wx: WxLike, opts: WxFetchOptions = {}): typeof globalThis.fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request && !init ? input : new Request(input, init)
    const header: Record<string, string> = {}
    req.headers.forEach((v, k) => {
      header[k.toLowerCase()] = v
    })
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer()
    return new Promise<Response>((resolve, reject) => {
      if (req.signal?.aborted) return reject(new DOMException('The request was aborted.', 'AbortError'))
      const task = wx.request({
        url: req.url,
        method: req.method,
        header,
        data: body && body.byteLength > 0 ? body : undefined,
        dataType: 'binary', // anything but "json": wx leaves the body alone
        responseType: 'arraybuffer',
        timeout: opts.timeout,
        success(res) {
          const empty = res.statusCode === 204 || res.statusCode === 304 || req.method === 'HEAD'
          resolve(new Response(empty ? null : res.data, { status: res.statusCode, headers: res.header }))
        },
        fail(err) {
          reject(new TypeError(`wx.request failed: ${err.errMsg}`))
        },
      })
      req.signal?.addEventListener('abort', () => {
        task?.abort()
        reject(new DOMException('The request was aborted.', 'AbortError'))
      })
    })
  }
}

/** bearer puts the access token the mini-program holds on every call. */
export function bearer(token: () => string | null | undefined): Middleware {
  return {
    onRequest({ request }) {
      const t = token()
      if (t) request.headers.set('Authorization', `Bearer ${t}`)
      return request
    },
  }
}

/** createMiniProgramApi is the typed client for mini-program code: the
 * server's origin (mini-programs have no page origin), wx.request, and the
 * caller's token. */
export function createMiniProgramApi(wx: WxLike, baseUrl: string, token: () => string | null | undefined, opts: WxFetchOptions = {}): Api {
  return createApi({ baseUrl, fetch: wxFetch(wx, opts), middleware: [bearer(token)] })
}
