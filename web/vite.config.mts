/// <reference types="node" />
/**
 * The workbench build (`npm run build:web` → web/dist, served by the API at `/`) and dev server
 * (`npm run dev:web`: Vite on :5173 with /api proxied to the API, default http://127.0.0.1:3000).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The first page's JavaScript is measured by scripts/web-size.ts (≤ 300 KB gzip).
    chunkSizeWarningLimit: 1500,
    assetsInlineLimit: 0,
    manifest: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});
