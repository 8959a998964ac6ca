/**
 * Weekly digest to district leaders: the key clues registered in the past week, the overdue items
 * under escalation by level, the units with the lowest on-time rate, and the referrals public
 * security has not acknowledged yet. A Temporal Schedule (`weekly-digest`, Mondays 09:00
 * Asia/Shanghai) starts `weeklyDigestWorkflow`, whose `digest` activity sends it through `notify`
 * to every leader with the key `digest:<ISO week>` — in each leader's language, once per week.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { NotifyInput } from '../../activities';
import { sql } from '../db/sql';
import type { Locale } from '../domain/enums';
import { ON_TIME_COLUMNS, onTimeOf, type OnTimeRow } from '../ledger/on-time';

export const DIGEST_SCHEDULE_ID = 'weekly-digest';
export const DIGEST_WORKFLOW_TYPE = 'weeklyDigestWorkflow';
export const DIGEST_TIMEZONE = 'Asia/Shanghai';
/** Units listed as "worst on-time rate" (at most), and clue references listed per item (at most). */
const WORST_UNITS = 3;
const MAX_REFS = 20;

export interface DigestData {
  since: string;
  until: string;
  newKeyClues: { ref: string; grade: string }[];
  overdueByLevel: { level1: number; level2: number; level3: number; total: number };
  worstUnits: {
    unitId: string;
    nameZh: string;
    nameEn: string;
    /** Done + open overdue (the rate's denominator). */
    counted: number;
    onTime: number;
    rate: number;
  }[];
  referralsAwaiting: { ref: string; sentAt: string }[];
}

export async function computeDigest(em: EntityManager, at: number): Promise<DigestData> {
  const until = new Date(at);
  const since = new Date(at - 7 * 86_400_000);
  const newKeyClues = await sql<{ ref: string; grade: string }[]>(
    em,
    `select ref, grade from clues where key_clue and created_at >= ? and created_at < ? order by seq`,
    [since, until],
  );
  const esc = await sql<{ level: number; n: number }[]>(
    em,
    `select level, count(*)::int as n from escalations where status = 'open' group by level`,
  );
  const lv = (l: number) =>
    esc.filter((e) => (l === 3 ? e.level >= 3 : e.level === l)).reduce((s, e) => s + e.n, 0);
  // The shared on-time rate (src/ledger/on-time.ts): units with anything late, done or still open.
  const perUnit = await sql<
    (OnTimeRow & { unit_id: string; name_zh: string | null; name_en: string | null })[]
  >(
    em,
    `select k.unit_id, u.name_zh, u.name_en, ${ON_TIME_COLUMNS}
       from clocks k left join units u on u.id = k.unit_id
      group by k.unit_id, u.name_zh, u.name_en`,
    [until, until],
  );
  const worst = perUnit
    .map((r) => ({ r, f: onTimeOf([r]) }))
    .filter(({ f }) => f.rate !== null && f.onTime < f.counted)
    .sort(
      (a, b) => a.f.rate! - b.f.rate! || b.f.counted - a.f.counted || a.r.unit_id.localeCompare(b.r.unit_id),
    )
    .slice(0, WORST_UNITS);
  const referrals = await sql<{ ref: string; sent_at: Date }[]>(
    em,
    `select c.ref, r.sent_at from referrals r join clues c on c.id = r.clue_id where r.status = 'awaiting' order by r.sent_at`,
  );
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    newKeyClues,
    overdueByLevel: { level1: lv(1), level2: lv(2), level3: lv(3), total: lv(1) + lv(2) + lv(3) },
    worstUnits: worst.map(({ r, f }) => ({
      unitId: r.unit_id,
      nameZh: r.name_zh ?? r.unit_id,
      nameEn: r.name_en ?? r.unit_id,
      counted: f.counted,
      onTime: f.onTime,
      rate: f.rate!,
    })),
    referralsAwaiting: referrals.map((r) => ({ ref: r.ref, sentAt: new Date(r.sent_at).toISOString() })),
  };
}

function refList(refs: string[], locale: Locale): string {
  if (refs.length === 0) return locale === 'en' ? 'none' : '无';
  const shown = refs.slice(0, MAX_REFS).join(locale === 'en' ? ', ' : '、');
  return refs.length > MAX_REFS
    ? `${shown}${locale === 'en' ? ` and ${refs.length - MAX_REFS} more` : `等${refs.length}条`}`
    : shown;
}

function unitList(d: DigestData, locale: Locale): string {
  if (d.worstUnits.length === 0)
    return locale === 'en' ? 'none (every deadline due was met)' : '无（到期事项均按时完成）';
  return d.worstUnits
    .map((u) => {
      const pct = `${(u.rate * 100).toFixed(1)}%`;
      return locale === 'en'
        ? `${u.nameEn} ${pct} (${u.onTime} of ${u.counted} on time)`
        : `${u.nameZh}${pct}（按时${u.onTime}项／应办结${u.counted}项）`;
    })
    .join(locale === 'en' ? '; ' : '；');
}

/** The notification for a week: counts as parameters, lists rendered per recipient language. */
export function digestNotification(week: string, d: DigestData): NotifyInput {
  const lists = (l: Locale) => ({
    newKeyClueRefs: refList(
      d.newKeyClues.map((c) => c.ref),
      l,
    ),
    worstUnits: unitList(d, l),
    referralRefs: refList(
      d.referralsAwaiting.map((r) => r.ref),
      l,
    ),
  });
  const localeParams: Record<Locale, Record<string, string>> = { 'zh-CN': lists('zh-CN'), en: lists('en') };
  return {
    key: `digest:${week}`,
    kind: 'digest',
    template: 'digest',
    audience: { roles: ['leader'] },
    params: {
      week,
      newKeyClues: d.newKeyClues.length,
      overdueTotal: d.overdueByLevel.total,
      overdueL1: d.overdueByLevel.level1,
      overdueL2: d.overdueByLevel.level2,
      overdueL3: d.overdueByLevel.level3,
      referralsAwaiting: d.referralsAwaiting.length,
    },
    localeParams,
  };
}

export interface DigestScheduleOptions {
  scheduleId?: string;
  timezone?: string;
  dayOfWeek?: 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
  hour?: number;
  minute?: number;
}

function desired(taskQueue: string, o: DigestScheduleOptions): ScheduleOptions {
  return {
    scheduleId: o.scheduleId ?? DIGEST_SCHEDULE_ID,
    spec: {
      calendars: [{ dayOfWeek: o.dayOfWeek ?? 'MONDAY', hour: o.hour ?? 9, minute: o.minute ?? 0 }],
      timezone: o.timezone ?? DIGEST_TIMEZONE,
    },
    action: {
      type: 'startWorkflow',
      workflowType: DIGEST_WORKFLOW_TYPE,
      workflowId: o.scheduleId ?? DIGEST_SCHEDULE_ID,
      taskQueue,
      args: [],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    memo: {
      purpose:
        'Weekly digest to district leaders (new key clues, overdue items, on-time rates, referrals awaiting acknowledgement)',
    },
  };
}

function sameSchedule(d: ScheduleDescription, want: ScheduleOptions): boolean {
  const cal = d.spec.calendars?.[0];
  const w = want.spec.calendars?.[0];
  const action = d.action as { workflowType?: string; taskQueue?: string };
  const first = (v: unknown) => (Array.isArray(v) ? (v[0] as { start?: unknown } | undefined)?.start : v);
  return (
    d.spec.timezone === want.spec.timezone &&
    (d.spec.calendars?.length ?? 0) === 1 &&
    String(first(cal?.dayOfWeek)) === String(w?.dayOfWeek) &&
    Number(first(cal?.hour)) === Number(w?.hour) &&
    Number(first(cal?.minute)) === Number(w?.minute) &&
    action.workflowType === DIGEST_WORKFLOW_TYPE &&
    action.taskQueue === (want.action as { taskQueue: string }).taskQueue
  );
}

/**
 * Creates the weekly digest schedule if it does not exist; if it exists with another time, time zone
 * or task queue, updates it. Safe to call from every worker and API instance at start-up.
 */
export async function ensureDigestSchedule(
  client: Client,
  taskQueue: string,
  o: DigestScheduleOptions = {},
): Promise<{ scheduleId: string; created: boolean; updated: boolean }> {
  const want = desired(taskQueue, o);
  try {
    await client.schedule.create(want);
    return { scheduleId: want.scheduleId, created: true, updated: false };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(want.scheduleId);
  const current = await handle.describe();
  if (sameSchedule(current, want)) return { scheduleId: want.scheduleId, created: false, updated: false };
  await handle.update((prev) => ({
    ...prev,
    spec: want.spec,
    action: want.action,
    policies: { ...prev.policies, ...want.policies },
  }));
  return { scheduleId: want.scheduleId, created: false, updated: true };
}
