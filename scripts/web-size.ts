/**
 * The workbench's first-page weight: the JavaScript a browser loads for the entry plus the page it
 * lands on (sign-in when signed out; the frame and "My work" for an officer), gzip-compressed, from the Vite
 * manifest of `web/dist`. Fails above the 300 KB budget (issue 11).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = path.resolve(__dirname, '..', 'web', 'dist');
const BUDGET = 300 * 1024;

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  Chunk
>;

/** Files of a chunk and everything it imports statically. */
function closure(key: string, seen = new Set<string>()): Set<string> {
  const c = manifest[key];
  if (!c || seen.has(c.file)) return seen;
  seen.add(c.file);
  for (const i of c.imports ?? []) closure(i, seen);
  return seen;
}

const gz = (file: string) => gzipSync(fs.readFileSync(path.join(DIST, file)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
if (!entry) throw new Error('web-size: no entry in the Vite manifest');
let failed = false;
const PAGES: Record<string, string[]> = {
  'sign-in': ['src/pages/SignIn.tsx'],
  'my-work': ['src/app/layout.tsx', 'src/pages/MyWork.tsx'],
};
for (const [name, srcs] of Object.entries(PAGES)) {
  const files = new Set<string>();
  for (const key of [entry, ...srcs]) closure(key, files);
  const total = [...files].reduce((n, f) => n + gz(f), 0);
  const over = total > BUDGET;
  failed ||= over;
  process.stdout.write(
    `web-size: first page ${name}: ${kb(total)} gzip JS in ${files.size} files (budget ${kb(BUDGET)})${over ? ' — OVER BUDGET' : ''}\n`,
  );
}
const all = Object.values(manifest).reduce((n, c) => n + gz(c.file), 0);
process.stdout.write(`web-size: all chunks together: ${kb(all)} gzip\n`);
if (failed) process.exit(1);
