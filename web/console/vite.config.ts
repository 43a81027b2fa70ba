/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { defineConfig } from 'vite'

// The console is served by the Go binary at /console/ from the committed
// dist/; `make web` rebuilds it, and CI fails when the rebuild differs, so
// the output must depend on the sources alone (content hashes, no dates).
export default defineConfig({
  base: '/console/',
  plugins: [
    vue(),
    // Element Plus components and their styles imported where used, so the
    // first load carries only what the first pages need.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: 'src/components.d.ts' }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', '../shared/src/**/*.test.ts'],
    // Element Plus components import their CSS; let Vite handle it in tests.
    server: { deps: { inline: ['element-plus'] } },
  },
})
