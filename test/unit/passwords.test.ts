/** Password hashing (scrypt), the generated passwords, the cap on concurrent checks, and the config it reads. */
import { createHash } from 'node:crypto';
import {
  PasswordChecksBusy,
  generatePassword,
  hashPassword,
  passwordSchema,
  verifyAgainstNothing,
  verifyPassword,
  withPasswordSlot,
} from '../../src/auth/passwords';
import { csrfMatches, csrfTokenFor, userAgentSummary } from '../../src/auth/sessions';
import { loadConfig } from '../../src/config';

describe('passwords', () => {
  test('a hash records its parameters and salt, verifies the password and nothing else', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(h); // a salt per hash
  }, 30_000);

  test('the same password typed with full-width digits (IME) matches (NFKC)', async () => {
    const h = await hashPassword('gate-2026-spring');
    expect(await verifyPassword('gate-２０２６-spring', h)).toBe(true);
  }, 30_000);

  test('an unreadable stored hash never verifies; a missing user costs a real check and fails', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$ln=40,r=8,p=1$AAAA$AAAA')).toBe(false);
    expect(await verifyAgainstNothing('anything')).toBe(false);
  }, 30_000);

  test('generated passwords: 4 groups of 5 from an alphabet without look-alikes, all different, within the policy', () => {
    const many = Array.from({ length: 200 }, generatePassword);
    for (const p of many) {
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
      expect(passwordSchema.safeParse(p).success).toBe(true);
    }
    expect(new Set(many).size).toBe(many.length);
  });

  test('the policy refuses short, overlong and control-character passwords', () => {
    expect(passwordSchema.safeParse('short').success).toBe(false);
    expect(passwordSchema.safeParse('x'.repeat(257)).success).toBe(false);
    expect(passwordSchema.safeParse('twelve-chars\u0000').success).toBe(false);
    expect(passwordSchema.safeParse('十二个字符的中文密码也可以吧').success).toBe(true);
  });

  test('at most 2 checks run at once; beyond 64 waiting, further ones are refused (busy)', async () => {
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const job = () =>
      withPasswordSlot(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => releases.push(r));
        running -= 1;
      });
    const jobs = Array.from({ length: 66 }, job);
    await expect(job()).rejects.toBeInstanceOf(PasswordChecksBusy);
    while (releases.length > 0 || running > 0) {
      releases.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
  });
});

describe('session helpers', () => {
  test('the CSRF token is bound to the session secret and checked against its hash', () => {
    const secret = 'A'.repeat(43);
    const token = csrfTokenFor(secret);
    expect(token).not.toBe(csrfTokenFor('B'.repeat(43)));
    const hash = createHash('sha256').update(token).digest('hex');
    expect(csrfMatches(token, hash)).toBe(true);
    expect(csrfMatches(`${token}x`, hash)).toBe(false);
    expect(csrfMatches(undefined, hash)).toBe(false);
  });

  test('the user agent is kept only as "browser on system"', () => {
    expect(
      userAgentSummary(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      ),
    ).toBe('Chrome on Windows');
    expect(
      userAgentSummary(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(userAgentSummary(undefined)).toBeNull();
  });
});

describe('sign-in configuration', () => {
  test('defaults: 30 min idle, 12 h absolute, 5 failures lock for 15 min, back-off from 1 s, Secure when https, no proxy trusted', () => {
    const c = loadConfig({});
    expect(c.auth).toEqual({
      cookieSecure: 'auto',
      sessionIdleMs: 1_800_000,
      sessionAbsoluteMs: 43_200_000,
      maxFailures: 5,
      lockMs: 900_000,
      backoffMs: 1000,
    });
    expect(c.http.trustProxy).toBe(false);
  });

  test('TRUST_PROXY takes a hop count or addresses; `true` (any client could claim https) is refused by name', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback,10.0.0.0/8' }).http.trustProxy).toBe('loopback,10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ COOKIE_SECURE: 'yes' })).toThrow(/COOKIE_SECURE/);
    expect(() => loadConfig({ SIGN_IN_MAX_FAILURES: '0' })).toThrow(/SIGN_IN_MAX_FAILURES/);
  });
});
