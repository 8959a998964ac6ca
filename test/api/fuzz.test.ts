/**
 * Property-based fuzzing of every route's request schema through the live app (fast-check): bodies
 * and query strings generated from the OpenAPI document the app serves — valid ones, near-misses
 * (a field dropped, an unknown field, a value of the wrong type) and plain garbage — sent by a role
 * the route admits, on real clues and campaigns. Property: never a 5xx, and every answer matches
 * the document. Bounded: a fixed number of runs per route.
 */
import fc from 'fast-check';
import { allRoutes } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import type { RouteDef } from '../../api/registry';
import type { AppContext } from '../../src/context';
import { expectStatus, fillPath, referClue, registerClue, startApiSuite, type ApiSuite } from './support';

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 40);
const UNITS = [
  'tushan-scenic-area',
  'changhuai-town',
  'market-regulation',
  'public-security',
  'district-office',
  'atlantis',
  'a',
];
const USER_OF_ROLE: Record<string, string> = {
  coordinator: 'u-coordinator',
  unit_officer: 'u-tushan',
  leader: 'u-leader',
  police_liaison: 'u-police',
  admin: 'u-admin',
};

type Schema = Record<string, unknown>;
let s: ApiSuite;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: Schema }> };
        parameters?: { in: string; name: string; schema: Schema; required?: boolean }[];
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
};
const clueIds: string[] = [];
let campaignId = 'none';

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-fuzz' });
  doc = s.checker.doc as unknown as typeof doc;
  const a = await registerClue(s, {
    coHandlingUnitIds: ['changhuai-town'],
    subject: { name: 'Fuzz Alpha Ltd', kind: 'enterprise' },
  });
  const b = await registerClue(s, {
    leadUnitId: 'market-regulation',
    subject: { name: 'Fuzz Bravo Ltd', kind: 'enterprise' },
  });
  const c = await registerClue(s, { subject: { name: 'Fuzz Charlie Ltd', kind: 'enterprise' } });
  await referClue(s, c.id, 'u-tushan');
  clueIds.push(a.id, b.id, c.id);
  if (s.routes.some((r) => r.path === '/campaigns' && r.method === 'post')) {
    const camp = await s.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: new Date().getUTCFullYear() + 1,
      unitIds: ['tushan-scenic-area', 'changhuai-town'],
    });
    campaignId = expectStatus(camp, 201, 'campaign').body.id;
  }
}, 120_000);

afterAll(async () => {
  await s?.close();
});

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${ref}`);
    return resolve(target);
  }
  return schema;
}

/** Short hostile strings: fit in a URL (Node refuses request heads over 16 KiB with 431, before the app). */
const shortText = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\uFEFF',
      '\ud800',
      '💥💥',
      "'; drop table clues; --",
      '%_\\',
      '../../etc/passwd',
    ),
  },
);
const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\uFEFF',
      '\ud800',
      '💥'.repeat(5),
      "'; drop table clues; --",
      '%_\\',
      '../../etc/passwd',
    ),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 4000, maxLength: 9000 }) },
);

/** A value for a JSON Schema: usually valid, sometimes at or past its edges. */
function valueOf(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  if (depth > 6) return fc.constant(null);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((x) => valueOf(x, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => valueOf({ ...schema, type: t }, depth + 1)));
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return fc.record(
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueOf(v, depth + 1)])),
        { requiredKeys: required.filter((k) => k in props) },
      );
    }
    case 'array': {
      const min = (schema.minItems as number | undefined) ?? 0;
      const max = Math.min((schema.maxItems as number | undefined) ?? 5, min + 4);
      return fc.array(valueOf((schema.items ?? {}) as Schema, depth + 1), { minLength: min, maxLength: max });
    }
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.oneof(
        fc.integer({
          min: (schema.minimum as number | undefined) ?? -1_000_000,
          max: (schema.maximum as number | undefined) ?? 1_000_000,
        }),
        fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER),
      );
    case 'number':
      return fc.oneof(
        fc.double({
          min: (schema.minimum as number | undefined) ?? -1e6,
          max: (schema.maximum as number | undefined) ?? 1e15,
          noNaN: true,
          noDefaultInfinity: true,
        }),
        fc.constantFrom(0, -0.5, 1e308),
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc.oneof(
      fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom('2026-13-45T99:99:99Z', 'yesterday', '2026-01-01'),
    );
  }
  if (schema.format === 'uuid') return fc.uuid();
  const pattern = schema.pattern as string | undefined;
  if (pattern === '^[a-z0-9][a-z0-9-]*$') return fc.constantFrom(...UNITS);
  const max = (schema.maxLength as number | undefined) ?? 200;
  const min = (schema.minLength as number | undefined) ?? 0;
  let matching: fc.Arbitrary<string> | undefined;
  if (pattern) {
    try {
      matching = fc.stringMatching(new RegExp(pattern)).filter((x) => x.length >= min && x.length <= max);
    } catch {
      matching = undefined;
    }
  }
  const plain = fc.string({ minLength: min, maxLength: Math.min(max, min + 60) });
  return matching
    ? fc.oneof({ weight: 4, arbitrary: matching }, { weight: 1, arbitrary: text })
    : fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: text });
}

/** Near-misses of a valid object: a key dropped, an unknown key, a value replaced by any JSON. */
function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(base, fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('drop', 'add', 'replace', 'null'))
    .map(([v, n, junk, how]) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return junk;
      const o = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(o);
      const k = keys.length ? keys[n % keys.length]! : 'x';
      if (how === 'drop') delete o[k];
      else if (how === 'add') o[`extra${n % 7}`] = junk;
      else if (how === 'replace') o[k] = junk;
      else o[k] = null;
      return o;
    });
}

function operation(r: RouteDef) {
  return doc.paths[`/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`]?.[r.method];
}

function bodyArb(r: RouteDef): fc.Arbitrary<string | undefined> {
  const schema = operation(r)?.requestBody?.content['application/json']?.schema;
  if (!schema) return fc.constant(undefined);
  const valid = valueOf(schema);
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: mutated(valid).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        'null',
        '[]',
        '"x"',
        '{"__proto__":{"admin":true}}',
        '{"a":1,"a":2}',
      ),
    },
  );
}

function queryArb(r: RouteDef): fc.Arbitrary<string> {
  const params = (operation(r)?.parameters ?? []).filter((p) => p.in === 'query');
  if (params.length === 0) return fc.constantFrom('', '?x=1');
  const entries = params.map((p) =>
    fc.option(
      fc.oneof(
        { weight: 4, arbitrary: valueOf(p.schema).map((v) => String(v)) },
        { weight: 1, arbitrary: text },
      ),
      { nil: undefined, freq: 2 },
    ),
  );
  return fc
    .tuple(
      ...entries,
      fc.option(fc.tuple(fc.constantFrom('bogus', params[0]!.name), shortText), { nil: undefined, freq: 4 }),
    )
    .map((vals) => {
      const extra = vals[vals.length - 1] as [string, string] | undefined;
      const pairs: [string, string][] = params.flatMap((p, i): [string, string][] =>
        vals[i] === undefined ? [] : [[p.name, vals[i] as string]],
      );
      if (extra) pairs.push(extra);
      // Keep the request head under Node's 16 KiB limit (beyond it Node answers 431 before the app).
      while (pairs.length && new URLSearchParams(pairs).toString().length > 6000) pairs.pop();
      return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '';
    });
}

function wellFormed(v: string): string {
  return v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function pathArb(r: RouteDef): fc.Arbitrary<string> {
  const id =
    r.ownership === 'campaign'
      ? fc.constantFrom(campaignId, 'nope')
      : fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...clueIds) },
          { weight: 1, arbitrary: fc.oneof(fc.uuid(), shortText) },
        );
  return fc
    .record({
      id,
      mid: fc.constantFrom('m1', 'm2', 'x'),
      eid: fc.oneof(fc.constantFrom('1', '2', '0', '-1', '99999999999'), fc.string({ maxLength: 10 })),
      unitId: fc.constantFrom(...UNITS),
      // Users and tokens no request here acts with: a fuzzed PATCH or DELETE must not lock the test's own actors out.
      userId: fc.oneof(fc.constantFrom('u-nobody', 'U-NOBODY', ''), fc.string({ maxLength: 12 })),
      tokenId: fc.oneof(
        fc.constantFrom('0', '-1', '99999999999', 'tok-nobody'),
        fc.string({ maxLength: 12 }),
      ),
    })
    .map(
      (p) =>
        // A URL cannot carry an unpaired surrogate (encodeURIComponent throws): those become U+FFFD.
        `/api/v1${fillPath(r.path, Object.fromEntries(Object.entries(p).map(([k, v]) => [k, wellFormed(v) || 'x'])))}`,
    );
}

/** The route table as the app builds it (route groups only read the context inside handlers). */
const ROUTES: RouteDef[] = allRoutes({} as AppContext, fullApiExtras);

describe('fuzzing every request schema through the live app', () => {
  test.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: never a 5xx, always the documented answer',
    async (_name, r) => {
      const users = r.roles.map((role) => USER_OF_ROLE[role]!);
      await fc.assert(
        fc.asyncProperty(
          pathArb(r),
          queryArb(r),
          bodyArb(r),
          fc.constantFrom(...users),
          fc.option(text, { freq: 5 }),
          async (path, query, body, user, idemKey) => {
            const headers: Record<string, string> = {};
            if (body !== undefined) headers['content-type'] = 'application/json';
            if (idemKey !== null && /^[\x20-\x7e]*$/.test(idemKey)) headers['idempotency-key'] = idemKey;
            const reply = await s.call(user, r.method.toUpperCase(), `${path}${query}`, body, headers);
            if (reply.status >= 500)
              throw new Error(
                `${r.method.toUpperCase()} ${path}${query} as ${user} → ${reply.status}: ${reply.text.slice(0, 300)}\nbody: ${String(body).slice(0, 300)}`,
              );
          },
        ),
        {
          numRuns: RUNS_PER_ROUTE,
          seed: Number(process.env.FUZZ_SEED ?? 20261126) + ROUTES.indexOf(r),
          endOnFailure: true,
        },
      );
    },
  );
});
