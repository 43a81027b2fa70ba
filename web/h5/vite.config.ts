/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { VantResolver } from '@vant/auto-import-resolver'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { defineConfig, type Plugin } from 'vite'

// Vant's icon font is inlined in its style sheet, with a fallback on a CDN
// (at.alicdn.com); the fallback is dropped, so the app never asks a third
// party for anything.
function noCdnFont(): Plugin {
  return {
    name: 'tiaojie-no-cdn-font',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant[\\/].*\.css$/.test(id) || !code.includes('alicdn')) return null
      return { code: code.replace(/,\s*url\([^)]*alicdn[^)]*\)\s*format\("woff"\)/g, ''), map: null }
    },
  }
}

// The citizen and family app is served by the Go binary at /h5/ from dist/
// (also inside a mini-program web-view). `make web` rebuilds it; the output
// depends on the sources alone (content hashes, no dates).
export default defineConfig({
  base: '/h5/',
  plugins: [
    noCdnFont(),
    vue(),
    // Vant components and their styles imported where used, so the first
    // load carries only what the first pages need.
    Components({ resolvers: [VantResolver()], dts: 'src/components.d.ts' }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2020' },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', '../shared/src/**/*.test.ts'],
    server: { deps: { inline: ['vant'] } },
  },
})
