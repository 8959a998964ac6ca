/**
 * Where a process spent its CPU: reads a V8 .cpuprofile (node --cpu-prof) and prints self time by
 * package (node_modules/<name>, node internals, our code) and the top functions.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top=25]
 */
import fs from 'node:fs';
import { args } from './lib';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function summarizeProfile(file: string, top = 25): string {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const pkg = (url: string, fn: string) => {
    if (!url) return fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)' ? fn : '(native)';
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1]!;
    if (url.startsWith('node:')) return 'node internals';
    return 'this project';
  };
  const byPkg = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byNode.get(id)!;
    const k = pkg(n.callFrame.url, n.callFrame.functionName);
    byPkg.set(k, (byPkg.get(k) ?? 0) + t);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '')}:${n.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
  const out = [`profile ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s; self time by package:`];
  for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`  ${pct(t)}  ${k}`);
  out.push(`top ${top} functions by self time:`);
  for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${pct(t)}  ${k}`);
  return out.join('\n');
}

if (require.main === module) {
  const a = args();
  const file = process.argv.slice(2).find((x) => !x.startsWith('--'));
  if (!file) throw new Error('usage: bench/profile-summary.ts <file.cpuprofile>');
  process.stdout.write(`${summarizeProfile(file, Number(a.top ?? 25))}\n`);
}
