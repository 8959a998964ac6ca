/// <reference types="node" />
/**
 * The workbench build (`npm run build:web` → web/dist, served by the API at `/`) and dev server
 * (`npm run dev:web`: Vite on :5173 with /api proxied to the API, default http://127.0.0.1:3000).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { parse } from '@formatjs/icu-messageformat-parser';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

/**
 * The message catalogues arrive in the browser already parsed (ICU AST), so the ICU parser stays out
 * of the bundle (react-intl's documented "no-parser" set-up) and no message is parsed at run time.
 * A message that does not parse fails the build.
 */
function precompiledMessages(): Plugin {
  const CATALOGUE = /[\\/]src[\\/]i18n[\\/]locales[\\/][^\\/]+[\\/][a-z]+\.json$/;
  return {
    name: 'precompiled-messages',
    enforce: 'pre',
    load(id) {
      if (!CATALOGUE.test(id)) return null;
      const messages = JSON.parse(readFileSync(id, 'utf8')) as Record<string, string>;
      const ast = Object.fromEntries(Object.entries(messages).map(([k, v]) => [k, parse(v)]));
      // Still JSON: Vite's JSON plugin turns it into the module as usual.
      return { code: JSON.stringify(ast), map: null };
    },
  };
}

export default defineConfig({
  root,
  plugins: [precompiledMessages(), react()],
  resolve: {
    alias: [
      {
        find: /^@formatjs\/icu-messageformat-parser$/,
        replacement: '@formatjs/icu-messageformat-parser/lib/no-parser.js',
      },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The first page's JavaScript is measured by scripts/web-size.ts (≤ 300 KB gzip).
    chunkSizeWarningLimit: 1500,
    assetsInlineLimit: 0,
    manifest: true,
    // WEB_MINIFY=false keeps function names, for reading a CPU profile (bench/web.ts --trace).
    minify: process.env.WEB_MINIFY !== 'false',
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});
