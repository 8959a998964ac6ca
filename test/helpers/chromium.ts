/**
 * Chromium for the browser tests, found in this order: CHROMIUM_PATH, Debian's /usr/bin/chromium, then
 * the build the devDependency @sparticuz/chromium ships (unpacked into the temp dir on first use; it
 * uses the machine's shared libraries, which Debian's chromium package brings). None found is an error
 * that says how to get one; the tests never skip.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const HOW_TO_GET_CHROMIUM =
  "install Debian's Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei), " +
  'or set CHROMIUM_PATH to a Chromium or Chrome binary';

export interface FoundChromium {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

const runnable = (p: string) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

export async function findChromium(
  o: { env?: NodeJS.ProcessEnv; systemPath?: string; packaged?: boolean } = {},
): Promise<FoundChromium> {
  const env = o.env ?? process.env;
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (!runnable(given)) throw new Error(`CHROMIUM_PATH=${given} is not an executable file`);
    return { path: given, source: 'CHROMIUM_PATH' };
  }
  const system = o.systemPath ?? SYSTEM_CHROMIUM;
  if (runnable(system)) return { path: system, source: 'system' };
  let why = 'the package @sparticuz/chromium is not used';
  if (o.packaged !== false) {
    try {
      const pkg = (await import('@sparticuz/chromium')).default;
      const p = await pkg.executablePath();
      if (runnable(p)) return { path: p, source: '@sparticuz/chromium' };
      why = `@sparticuz/chromium unpacked nothing runnable at ${p}`;
    } catch (err) {
      why = `@sparticuz/chromium: ${(err as Error).message} (npm install brings it)`;
    }
  }
  throw new Error(`No Chromium for the browser tests (${system} missing; ${why}): ${HOW_TO_GET_CHROMIUM}.`);
}

/** Headless Chromium through playwright-core, found as above. */
export async function launchChromium(found?: FoundChromium): Promise<Browser> {
  const { path } = found ?? (await findChromium());
  try {
    return await chromium.launch({
      executablePath: path,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  } catch (err) {
    throw new Error(`Chromium at ${path} did not start (${(err as Error).message}); ${HOW_TO_GET_CHROMIUM}.`);
  }
}
