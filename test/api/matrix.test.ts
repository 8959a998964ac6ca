/**
 * Authorization matrix, generated from the route table: for EVERY route (clues, people, ledger,
 * campaigns, whatever registers in `allRoutes(ctx, fullApiExtras)`), every role and every relation
 * of the caller to the target (own unit, co-handling, another unit, referred, not referred, campaign
 * member or not, own `:unitId` or another), the exact status. A route without a row fails, naming it.
 *
 * "ok" means the request passed authorization: 200 for a read; for a write, the deliberately invalid
 * body `{"__matrix__": true}` (or missing required query) is refused with 422 — proof that role and
 * ownership were checked first, and that nothing was changed. Real transitions by the right roles
 * are exercised in lifecycle.test.ts. Every response is validated against the OpenAPI document.
 */
import { allRoutes } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import type { RouteDef } from '../../api/registry';
import type { AppContext } from '../../src/context';
import { eventually } from '../helpers/services';
import { expectStatus, fillPath, referClue, registerClue, startApiSuite, type ApiSuite } from './support';

type C = 'ok' | number;
interface ClueRow {
  kind: 'clue';
  coordinator: C;
  leader: C;
  admin: C;
  /** unit officer of the lead unit */
  lead: C;
  /** unit officer of a co-handling unit */
  co: C;
  /** unit officer of an unrelated unit */
  other: C;
  /** police liaison of the unit the clue was referred to */
  referred: C;
  /** police liaison, clue not referred */
  unreferred: C;
}
interface PlainRow {
  kind: 'plain';
  coordinator: C;
  leader: C;
  admin: C;
  unit_officer: C;
  police_liaison: C;
}
interface CampaignRow {
  kind: 'campaign';
  coordinator: C;
  leader: C;
  admin: C;
  police_liaison: C;
  /** unit officer whose unit takes part (acting for its own unit in `:unitId` paths) */
  member: C;
  /** the same officer naming another participating unit in `:unitId` (routes with `:unitId` only) */
  memberOtherUnit?: C;
  /** unit officer whose unit does not take part */
  nonMember: C;
}
type Row = ClueRow | PlainRow | CampaignRow;

const clue = (r: Omit<ClueRow, 'kind'>): ClueRow => ({ kind: 'clue', ...r });
const plain = (r: Omit<PlainRow, 'kind'>): PlainRow => ({ kind: 'plain', ...r });
const campaign = (r: Omit<CampaignRow, 'kind'>): CampaignRow => ({ kind: 'campaign', ...r });

/** Lead-unit transitions: coordinators too; co-handling units see the clue (403), others do not (404). */
const LEAD = clue({
  coordinator: 'ok',
  leader: 403,
  admin: 403,
  lead: 'ok',
  co: 403,
  other: 404,
  referred: 403,
  unreferred: 403,
});
/** District Office decisions: coordinators only; the role check answers before any clue lookup. */
const COORD = clue({
  coordinator: 'ok',
  leader: 403,
  admin: 403,
  lead: 403,
  co: 403,
  other: 403,
  referred: 403,
  unreferred: 403,
});
const EVERYONE = plain({
  coordinator: 'ok',
  leader: 'ok',
  admin: 'ok',
  unit_officer: 'ok',
  police_liaison: 'ok',
});
const CASEWORK_READ = plain({
  coordinator: 'ok',
  leader: 'ok',
  admin: 403,
  unit_officer: 'ok',
  police_liaison: 'ok',
});
const LEADERSHIP_READ = plain({
  coordinator: 'ok',
  leader: 'ok',
  admin: 403,
  unit_officer: 403,
  police_liaison: 403,
});
const COORD_PLAIN = plain({
  coordinator: 'ok',
  leader: 403,
  admin: 403,
  unit_officer: 403,
  police_liaison: 403,
});
const ADMIN_ONLY = plain({
  coordinator: 403,
  leader: 403,
  admin: 'ok',
  unit_officer: 403,
  police_liaison: 403,
});
const LEDGER_READ = plain({
  coordinator: 'ok',
  leader: 'ok',
  admin: 403,
  unit_officer: 'ok',
  police_liaison: 403,
});
const CAMPAIGN_READ = campaign({
  coordinator: 'ok',
  leader: 'ok',
  admin: 403,
  police_liaison: 403,
  member: 'ok',
  nonMember: 404,
});
const CAMPAIGN_LEADERSHIP = campaign({
  coordinator: 'ok',
  leader: 'ok',
  admin: 403,
  police_liaison: 403,
  member: 403,
  nonMember: 403,
});
const CAMPAIGN_COORD = campaign({
  coordinator: 'ok',
  leader: 403,
  admin: 403,
  police_liaison: 403,
  member: 403,
  nonMember: 403,
});
const CAMPAIGN_FILING = campaign({
  coordinator: 'ok',
  leader: 403,
  admin: 403,
  police_liaison: 403,
  member: 'ok',
  memberOtherUnit: 403,
  nonMember: 404,
});

export const EXPECTED: Record<string, Row> = {
  // clues
  'POST /clues': COORD_PLAIN,
  'GET /clues': CASEWORK_READ,
  'GET /clues/:id': clue({
    coordinator: 'ok',
    leader: 'ok',
    admin: 403,
    lead: 'ok',
    co: 'ok',
    other: 404,
    referred: 'ok',
    unreferred: 404,
  }),
  'GET /clues/:id/timeline': clue({
    coordinator: 'ok',
    leader: 'ok',
    admin: 403,
    lead: 'ok',
    co: 'ok',
    other: 404,
    referred: 403,
    unreferred: 403,
  }),
  'POST /clues/:id/reporter/unmask': COORD,
  'POST /clues/:id/verification': LEAD,
  'POST /clues/:id/classification': LEAD,
  'POST /clues/:id/plan': LEAD,
  'POST /clues/:id/plan-review': COORD,
  'POST /clues/:id/actions': LEAD,
  'POST /clues/:id/milestones/:mid/completion': LEAD,
  'POST /clues/:id/referral': LEAD,
  'POST /clues/:id/referral-acknowledgement': clue({
    coordinator: 403,
    leader: 403,
    admin: 403,
    lead: 403,
    co: 403,
    other: 403,
    referred: 'ok',
    unreferred: 404,
  }),
  'POST /clues/:id/follow-ups': LEAD,
  'POST /clues/:id/closure': LEAD,
  'POST /clues/:id/closure/decision': COORD,
  'POST /clues/:id/reopening': COORD,
  'POST /clues/:id/deadline-extensions': clue({
    coordinator: 'ok',
    leader: 403,
    admin: 403,
    lead: 'ok',
    co: 'ok',
    other: 404,
    referred: 'ok',
    unreferred: 404,
  }),
  'POST /clues/:id/deadline-extensions/:eid/decision': COORD,
  'POST /clues/:id/clock-pauses': LEAD,
  'POST /clues/:id/clock-resumptions': LEAD,
  'POST /clues/:id/information-exchange': clue({
    coordinator: 403,
    leader: 403,
    admin: 403,
    lead: 403,
    co: 'ok',
    other: 404,
    referred: 403,
    unreferred: 403,
  }),
  'POST /clues/:id/regrade': COORD,
  'POST /clues/import': COORD_PLAIN,
  // people, escalations, clocks, units
  'GET /me': EVERYONE,
  'GET /me/notifications': EVERYONE,
  'GET /escalations': LEADERSHIP_READ,
  'GET /escalations/:eid': LEADERSHIP_READ,
  'POST /escalations/:eid/acknowledgement': plain({
    coordinator: 403,
    leader: 'ok',
    admin: 403,
    unit_officer: 403,
    police_liaison: 403,
  }),
  'GET /accountability': LEADERSHIP_READ,
  'GET /clocks': CASEWORK_READ,
  'GET /units': EVERYONE,
  'POST /units': plain({
    coordinator: 403,
    leader: 403,
    admin: 'ok',
    unit_officer: 403,
    police_liaison: 403,
  }),
  'GET /units/:unitId': plain({
    coordinator: 403,
    leader: 403,
    admin: 'ok',
    unit_officer: 403,
    police_liaison: 403,
  }),
  'PATCH /units/:unitId': plain({
    coordinator: 403,
    leader: 403,
    admin: 'ok',
    unit_officer: 403,
    police_liaison: 403,
  }),
  // users, passwords and API tokens (the admin's pages)
  'GET /users': ADMIN_ONLY,
  'POST /users': ADMIN_ONLY,
  'PATCH /users/:userId': ADMIN_ONLY,
  'POST /users/:userId/password-reset': ADMIN_ONLY,
  'GET /tokens': ADMIN_ONLY,
  'POST /tokens': ADMIN_ONLY,
  'DELETE /tokens/:tokenId': ADMIN_ONLY,
  // ledger and reports
  'GET /ledger/risks': LEDGER_READ,
  'GET /ledger/key-clues': LEDGER_READ,
  'GET /ledger/statistics': LEADERSHIP_READ,
  'GET /audit': plain({
    coordinator: 'ok',
    leader: 403,
    admin: 'ok',
    unit_officer: 403,
    police_liaison: 403,
  }),
  // campaigns
  'POST /campaigns': COORD_PLAIN,
  'GET /campaigns': plain({
    coordinator: 'ok',
    leader: 'ok',
    admin: 403,
    unit_officer: 'ok',
    police_liaison: 403,
  }),
  'GET /campaigns/:id': CAMPAIGN_READ,
  'GET /campaigns/:id/progress': CAMPAIGN_READ,
  'GET /campaigns/:id/timeline': CAMPAIGN_LEADERSHIP,
  'GET /campaigns/:id/district-summary': CAMPAIGN_LEADERSHIP,
  'GET /campaigns/:id/units/:unitId/report': campaign({
    coordinator: 'ok',
    leader: 'ok',
    admin: 403,
    police_liaison: 403,
    member: 'ok',
    memberOtherUnit: 403,
    nonMember: 404,
  }),
  'GET /campaigns/:id/units/:unitId/deliverables': campaign({
    coordinator: 'ok',
    leader: 'ok',
    admin: 403,
    police_liaison: 403,
    member: 'ok',
    memberOtherUnit: 403,
    nonMember: 404,
  }),
  'POST /campaigns/:id/units/:unitId/implementation-plan': CAMPAIGN_FILING,
  'POST /campaigns/:id/units/:unitId/information': CAMPAIGN_FILING,
  'POST /campaigns/:id/units/:unitId/summary-report': CAMPAIGN_FILING,
  'POST /campaigns/:id/units': CAMPAIGN_COORD,
  'DELETE /campaigns/:id/units/:unitId': { ...CAMPAIGN_COORD, memberOtherUnit: 403 },
  'POST /campaigns/:id/cancellation': CAMPAIGN_COORD,
};

/** The route table as the app builds it (route groups only read the context inside handlers). */
const ROUTES: RouteDef[] = allRoutes({} as AppContext, fullApiExtras);
const key = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;

const USERS = {
  coordinator: 'u-coordinator',
  leader: 'u-leader',
  admin: 'u-admin',
  unit_officer: 'u-tushan',
  police_liaison: 'u-police',
} as const;

let s: ApiSuite;
let clueA: { id: string; ref: string };
let clueB: { id: string; ref: string };
let campaignId: string;
/** A user and a token of its for the admin routes to act on (the admin's reset and revoke are real). */
const matrixUser = 'u-matrix-target';
let matrixTokenId: string;
let calls = 0;

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-matrix' });
  // A: Tushan leads, Changhuai co-handles, referred to public security. B: Market Regulation's alone.
  clueA = await registerClue(s, {
    coHandlingUnitIds: ['changhuai-town'],
    subject: { name: 'Matrix Alpha Pension Co.', kind: 'enterprise' },
  });
  clueB = await registerClue(s, {
    leadUnitId: 'market-regulation',
    subject: { name: 'Matrix Bravo Rebate Mall', kind: 'online_platform' },
    keyArea: 'e_commerce',
  });
  await referClue(s, clueA.id, 'u-tushan');
  // Escalation 1 (the `:eid` every escalation route names), on clue A.
  const [esc] = await s.db.q<{ id: number }[]>(
    `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status)
     values ('matrix', 'clue', ?, ?, 'verification-1', 'verification', 'tushan-scenic-area', 2, now() - interval '3 days', now(), 'open') returning id`,
    [clueA.id, clueA.ref],
  );
  expect(esc?.id).toBe(1);
  expectStatus(
    await s.call('u-admin', 'POST', '/api/v1/users', {
      id: matrixUser,
      name: 'Matrix Target',
      email: 'matrix-target@district.local',
      role: 'leader',
    }),
    201,
    'matrix user',
  );
  const t = expectStatus(
    await s.call('u-admin', 'POST', '/api/v1/tokens', { userId: matrixUser, label: 'matrix' }),
    201,
    'matrix token',
  );
  matrixTokenId = (t.body as { id: string }).id;
  if (ROUTES.some((r) => r.path.startsWith('/campaigns'))) {
    const c = expectStatus(
      await s.call('u-coordinator', 'POST', '/api/v1/campaigns', {
        year: new Date().getUTCFullYear() + 1,
        unitIds: ['tushan-scenic-area', 'changhuai-town', 'yanshan-town'],
      }),
      201,
      'campaign',
    );
    campaignId = (c.body as { id: string }).id;
  }
}, 120_000);

afterAll(async () => {
  await s?.close();
});

function okStatus(r: RouteDef): number {
  if (r.method === 'get') return r.responseStatus ?? 200;
  return r.body || r.query ? 422 : (r.responseStatus ?? 200);
}

async function attempt(
  r: RouteDef,
  user: string | null,
  params: Record<string, string>,
  auth?: string,
): Promise<number> {
  const path = `/api/v1${fillPath(r.path, params)}`;
  const body = r.body ? { __matrix__: true } : undefined;
  calls += 1;
  if (auth !== undefined) {
    const reply = await s.raw(r.method.toUpperCase(), path, {
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return reply.status;
  }
  return (await s.call(user, r.method.toUpperCase(), path, body)).status;
}

interface Case {
  name: string;
  user: string;
  params: Record<string, string>;
  expected: C | undefined;
}

function casesFor(r: RouteDef, row: Row): Case[] {
  const base = { mid: 'm1', eid: r.ownership === 'escalation' ? '1' : 'x1' };
  if (row.kind === 'clue') {
    const A = { ...base, id: clueA.id };
    const B = { ...base, id: clueB.id };
    return [
      { name: 'coordinator', user: 'u-coordinator', params: A, expected: row.coordinator },
      { name: 'leader', user: 'u-leader', params: A, expected: row.leader },
      { name: 'admin', user: 'u-admin', params: A, expected: row.admin },
      { name: 'lead unit officer', user: 'u-tushan', params: A, expected: row.lead },
      { name: 'co-handling unit officer', user: 'u-changhuai', params: A, expected: row.co },
      { name: 'other unit officer', user: 'u-tushan', params: B, expected: row.other },
      { name: 'police, referred', user: 'u-police', params: A, expected: row.referred },
      { name: 'police, not referred', user: 'u-police', params: B, expected: row.unreferred },
    ];
  }
  if (row.kind === 'campaign') {
    const p = (unitId: string) => ({ ...base, id: campaignId, unitId });
    const cases: Case[] = [
      { name: 'coordinator', user: 'u-coordinator', params: p('yanshan-town'), expected: row.coordinator },
      { name: 'leader', user: 'u-leader', params: p('tushan-scenic-area'), expected: row.leader },
      { name: 'admin', user: 'u-admin', params: p('tushan-scenic-area'), expected: row.admin },
      {
        name: 'police liaison',
        user: 'u-police',
        params: p('public-security'),
        expected: row.police_liaison,
      },
      {
        name: 'member unit officer',
        user: 'u-tushan',
        params: p('tushan-scenic-area'),
        expected: row.member,
      },
      {
        name: 'non-member unit officer',
        user: 'u-market',
        params: p('market-regulation'),
        expected: row.nonMember,
      },
    ];
    if (r.path.includes(':unitId')) {
      cases.push({
        name: 'member officer naming another unit',
        user: 'u-tushan',
        params: p('changhuai-town'),
        expected: row.memberOtherUnit,
      });
    }
    return cases;
  }
  // Plain routes naming a unit (/units/:unitId) name the unit officer's own: only the role decides.
  const params = {
    ...base,
    id: clueA.id,
    unitId: 'tushan-scenic-area',
    userId: matrixUser,
    tokenId: matrixTokenId,
  };
  return (Object.keys(USERS) as (keyof typeof USERS)[]).map((role) => ({
    name: role,
    user: USERS[role],
    params,
    expected: row[role],
  }));
}

describe('authorization matrix', () => {
  test('every route in the route table has a matrix row, and every row a route', () => {
    const missing = ROUTES.map(key).filter((k) => !(k in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((k) => !ROUTES.some((r) => key(r) === k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  test.each(ROUTES.map((r) => [key(r), r] as const))('%s', async (name, r) => {
    const row = EXPECTED[name];
    if (!row) throw new Error(`no matrix row for ${name}: add one to EXPECTED in test/api/matrix.test.ts`);
    const owned = r.ownership === 'clue' ? 'clue' : r.ownership === 'campaign' ? 'campaign' : 'plain';
    expect(`${name} is a ${row.kind} row`).toBe(`${name} is a ${owned} row`);
    const mismatches: string[] = [];
    const params = {
      id: clueA.id,
      mid: 'm1',
      eid: '1',
      unitId: 'tushan-scenic-area',
      userId: matrixUser,
      tokenId: matrixTokenId,
    };
    // Nobody gets anywhere without a valid token.
    for (const [what, auth] of [
      ['no token', ''],
      ['malformed header', 'Basic dXNlcjpwYXNz'],
      ['unknown token', 'Bearer dso_thisTokenDoesNotExistAnywhere000000000000'],
    ] as const) {
      const got = await attempt(r, null, params, auth);
      if (got !== 401) mismatches.push(`${what}: expected 401, got ${got}`);
    }
    for (const c of casesFor(r, row)) {
      if (c.expected === undefined) {
        mismatches.push(`${c.name}: no expectation`);
        continue;
      }
      const want = c.expected === 'ok' ? okStatus(r) : c.expected;
      const got = await attempt(r, c.user, c.params);
      if (got !== want) mismatches.push(`${c.name}: expected ${want}, got ${got}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('a clue id nobody has is 404 for every clue route, even for coordinators', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    for (const r of ROUTES.filter((x) => x.ownership === 'clue')) {
      const user = r.roles.includes('coordinator')
        ? 'u-coordinator'
        : r.roles.includes('police_liaison')
          ? 'u-police'
          : 'u-tushan';
      const got = await attempt(r, user, { id: ghost, mid: 'm1', eid: 'x1' });
      expect(`${key(r)} → ${got}`).toBe(`${key(r)} → 404`);
    }
  });

  test('another unit’s clue never shows in any list, count, export or search of a unit officer or liaison', async () => {
    const reads = ROUTES.filter((r) => r.method === 'get' && r.ownership === 'none' && !r.path.includes(':'));
    const viewers = ['u-tushan', 'u-changhuai', 'u-police'];
    const snapshot = async () => {
      const out: Record<string, string> = {};
      for (const v of viewers) {
        for (const r of reads) {
          const reply = await s.call(v, 'GET', `/api/v1${r.path}`);
          // ISO timestamps move with the clock; everything else must be identical. A personal inbox may
          // receive unrelated news meanwhile (campaign notices), so only its clue references are compared.
          const text = reply.text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
          out[`${v} ${key(r)}`] =
            `${reply.status} ${r.path === '/me/notifications' ? (text.match(/XS-\d{4}-\d+/g) ?? []).sort().join(' ') : text}`;
        }
      }
      return out;
    };
    const before = await snapshot();
    for (const text of Object.values(before)) {
      expect(text).not.toContain(clueB.id);
      expect(text).not.toContain(clueB.ref);
      expect(text).not.toContain('Matrix Bravo');
    }
    // A new clue of Market Regulation's: nothing any of them can read may change.
    const c = await registerClue(s, {
      leadUnitId: 'market-regulation',
      subject: { name: 'Matrix Charlie Crowdfund', kind: 'enterprise' },
      keyArea: 'crowdfunding',
      amountCny: 9e9,
      participants: 99999,
    });
    await eventually(async () => {
      const [row] = await s.db.q<{ n: number }[]>(
        `select count(*)::int as n from clocks where owner_id = ?`,
        [c.id],
      );
      expect(row?.n).toBeGreaterThan(0);
    });
    expect(await snapshot()).toEqual(before);
    for (const v of viewers)
      expect((await s.call(v, 'GET', '/api/v1/me/notifications?limit=200')).text).not.toContain(c.id);
    // Text search for it finds nothing either.
    for (const v of viewers) {
      const r = await s.call(v, 'GET', `/api/v1/clues?q=${encodeURIComponent('Matrix Charlie')}`);
      expect(r.body.items).toEqual([]);
    }
    const coord = await s.call(
      'u-coordinator',
      'GET',
      `/api/v1/clues?q=${encodeURIComponent('Matrix Charlie')}`,
    );
    expect(coord.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
  });

  test('a unit officer does not learn of another unit’s clue through a duplicate link', async () => {
    // Same subject as B (Market Regulation's), registered for Tushan: linked as duplicate, but Tushan cannot see B.
    const d = await registerClue(s, {
      subject: { name: 'Matrix Bravo Rebate Mall', kind: 'online_platform' },
    });
    const coord = await s.call('u-coordinator', 'GET', `/api/v1/clues/${d.id}`);
    expect(coord.body.duplicateOfId).toBe(clueB.id);
    const own = await s.call('u-tushan', 'GET', `/api/v1/clues/${d.id}`);
    expect(own.status).toBe(200);
    expect(own.body.duplicateOfId).toBeNull();
    expect(own.text).not.toContain(clueB.id);
    // Nor through any list, export or count that shows the new clue.
    const leaks: string[] = [];
    for (const r of ROUTES.filter(
      (x) => x.method === 'get' && x.ownership === 'none' && !x.path.includes(':'),
    )) {
      const reply = await s.call('u-tushan', 'GET', `/api/v1${r.path}`);
      if (reply.text.includes(clueB.id) || reply.text.includes(clueB.ref)) leaks.push(key(r));
    }
    expect(leaks).toEqual([]);
  });

  afterAll(() => {
    // Matrix size for the record: requests made by this suite.
    process.stdout.write(`authorization matrix: ${ROUTES.length} routes, ${calls} authorization requests\n`);
  });
});
