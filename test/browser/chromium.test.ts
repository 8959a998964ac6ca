/**
 * Where the browser tests get Chromium (helpers/chromium.ts): CHROMIUM_PATH, then Debian's build, then
 * the build @sparticuz/chromium ships; none is an error that says how to get one. The packaged build
 * is launched for real, so a machine without Debian's chromium is known to work.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium, launchChromium, SYSTEM_CHROMIUM } from '../helpers/chromium';

const missing = path.join(os.tmpdir(), `no-chromium-${process.pid}`);

describe('finding Chromium for the browser tests', () => {
  test('CHROMIUM_PATH wins over every other build', async () => {
    const found = await findChromium({
      env: { CHROMIUM_PATH: process.execPath },
      systemPath: SYSTEM_CHROMIUM,
    });
    expect(found).toEqual({ path: process.execPath, source: 'CHROMIUM_PATH' });
  });

  test('a CHROMIUM_PATH that names no executable file fails and names the variable', async () => {
    await expect(findChromium({ env: { CHROMIUM_PATH: missing } })).rejects.toThrow(
      `CHROMIUM_PATH=${missing} is not an executable file`,
    );
  });

  test("without CHROMIUM_PATH, Debian's /usr/bin/chromium is used when it is there", async () => {
    const found = await findChromium({ env: {} });
    expect(found.source).toBe(fs.existsSync(SYSTEM_CHROMIUM) ? 'system' : '@sparticuz/chromium');
  });

  test('without CHROMIUM_PATH or a system build, the packaged build is unpacked and renders a page with Chinese text', async () => {
    const found = await findChromium({ env: {}, systemPath: missing });
    expect(found.source).toBe('@sparticuz/chromium');
    const browser = await launchChromium(found);
    try {
      const page = await browser.newPage();
      await page.setContent('<html lang="zh-CN"><body><h1>线索处置</h1></body></html>');
      expect(await page.locator('h1').textContent()).toBe('线索处置');
    } finally {
      await browser.close();
    }
  }, 120_000);

  test('with no build at all the error says how to get one', async () => {
    await expect(findChromium({ env: {}, systemPath: missing, packaged: false })).rejects.toThrow(
      /No Chromium for the browser tests .*apt-get install chromium/,
    );
  });
});
