import { loadConfig } from '../../src/config';
import { DEFAULT_POLICY, SECONDS_POLICY, tierDuration } from '../../src/policy';

describe('loadConfig', () => {
  test('no variables means the embedded default: no Temporal address, no database URL, no SMTP, default policy', () => {
    const c = loadConfig({});
    expect(c.temporal.address).toBeUndefined();
    expect(c.database.url).toBeUndefined();
    expect(c.mail.smtpUrl).toBeUndefined();
    expect(c.policy).toEqual(DEFAULT_POLICY);
    expect(c.http.port).toBe(3000);
  });

  test('real services are selected by TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL', () => {
    const c = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      DATABASE_URL: 'postgresql://u@db/x',
      SMTP_URL: 'smtp://mail:25',
    });
    expect(c.temporal.address).toBe('temporal:7233');
    expect(c.database.url).toBe('postgresql://u@db/x');
    expect(c.mail.smtpUrl).toBe('smtp://mail:25');
  });

  test.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail' }],
    ['REPORTER_KEY', { REPORTER_KEY: 'short' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('a bad %s fails fast naming the variable', (name, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`Invalid configuration:[\\s\\S]*${name}`));
  });

  test('a webhook URL without its secret is refused', () => {
    expect(() => loadConfig({ POLICE_WEBHOOK_URL: 'https://psb.example/hook' })).toThrow(
      /POLICE_WEBHOOK_SECRET/,
    );
  });

  test('production with a real database requires REPORTER_KEY', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://u@db/x' })).toThrow(
      /REPORTER_KEY/,
    );
  });

  test('DEADLINE_POLICY accepts a preset name', () => {
    expect(loadConfig({ DEADLINE_POLICY: 'seconds' }).policy).toEqual(SECONDS_POLICY);
  });

  test('DEADLINE_POLICY JSON overrides tiers down to seconds on top of a preset', () => {
    const c = loadConfig({
      DEADLINE_POLICY: JSON.stringify({
        preset: 'seconds',
        tiers: { verification: { I: 'PT3S', default: 'PT7S' } },
      }),
    });
    expect(tierDuration(c.policy, 'verification', 'I')).toBe('PT3S');
    expect(tierDuration(c.policy, 'verification', 'IV')).toBe('PT7S');
    expect(tierDuration(c.policy, 'plan', 'I')).toBe('PT20S');
    expect(c.policy.mode).toBe('calendar');
  });

  test.each([
    ['not JSON', '{oops', /neither a preset/],
    [
      'a bad duration',
      JSON.stringify({ reminders: ['5 days'] }),
      /reminders\.0: must be an ISO-8601 duration/,
    ],
    ['an unknown calendar', JSON.stringify({ calendar: 'mars' }), /calendar: unknown calendar/],
    ['an unknown field', JSON.stringify({ remind: ['P1D'] }), /DEADLINE_POLICY/],
    ['an unknown task', JSON.stringify({ tiers: { lunch: 'P1D' } }), /DEADLINE_POLICY/],
  ])('DEADLINE_POLICY with %s is refused with the reason', (_what, value, re) => {
    expect(() => loadConfig({ DEADLINE_POLICY: value })).toThrow(re);
  });
});

describe('tierDuration', () => {
  test('graver grades get shorter verification clocks by default', () => {
    const days = (g: 'I' | 'II' | 'III' | 'IV') =>
      Number(/P(\d+)D/.exec(tierDuration(DEFAULT_POLICY, 'verification', g))![1]);
    expect(days('I')).toBeLessThan(days('II'));
    expect(days('II')).toBeLessThan(days('III'));
    expect(days('III')).toBeLessThan(days('IV'));
  });
});
