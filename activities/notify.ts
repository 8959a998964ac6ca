/**
 * Notices: who receives one, what each recipient reads, and the rows that deliver it.
 *
 * Each recipient reads the message written for its role in the notice (issue 12):
 *   unit   the responsible unit (its officers, its contact mailbox, its group robots): an order —
 *          what, by when, what follows if it is missed;
 *   head   the unit's head (users marked head, and the unit's head contact): a supervision notice;
 *   office the District Office (coordinators): a supervision notice;
 *   leader district leadership: a 督办 request with the one-click acknowledgement link;
 *   police public security: the hand-off notice.
 * Catalogue keys are `<template>.<role>.subject|body` (src/i18n/locales/<locale>/notify.json); the
 * salutation, the link to where the recipient acts and the footer are added here.
 *
 * Delivery, exactly once per business key: an in-app row per user (`notifications`, key + user) and one
 * outbox row per address or robot (`mail_outbox`, key `<notice key>|<user id>`,
 * `<notice key>|unit:<unitId>|email`, `<notice key>|head:<unitId>|email`, `<notice key>|unit:<unitId>|wecom`
 * / `|dingtalk`). An address that already gets the message for a role is not sent it twice.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Locale, Role } from '../src/domain/enums';
import { pgTextArray, sql } from '../src/db/sql';
import { formatDateTime } from '../src/format';
import { DEFAULT_LOCALE, messages, t, type MessageKey } from '../src/i18n';
import { linkTo, type LinkTarget } from '../src/links';
import { messageIdFor } from '../src/mail/mailer';
import type { OutboxSender } from '../src/mail/outbox';

export interface Owner {
  type: 'clue' | 'campaign';
  id: string;
  ref?: string;
}

export interface Audience {
  /** The units the notice is addressed to: their staff, contact mailboxes and group robots. */
  unitIds?: string[];
  /** Heads of these units only (head users and the units' head contacts). */
  unitHeadsOf?: string[];
  /** Everyone with these roles. */
  roles?: Role[];
}

export type TemplateName =
  | 'reminder'
  | 'escalation'
  | 'stageChanged'
  | 'referral'
  | 'referralReturned'
  | 'campaignPhase'
  | 'accountability'
  | 'followUp'
  | 'extensionRequested'
  | 'informationExchanged'
  | 'campaignReminder'
  | 'campaignEscalation'
  | 'campaignAccountability'
  | 'campaignConcluded'
  | 'campaignCancelled'
  | 'campaignJoined'
  | 'campaignLeft'
  | 'duplicateLinked'
  | 'digest';

export interface NotifyInput {
  key: string;
  kind: string;
  template: TemplateName;
  audience: Audience;
  params: Record<string, string | number>;
  /** Parameters that differ by language (lists, names), merged over `params` for each recipient's locale. */
  localeParams?: Partial<Record<Locale, Record<string, string | number>>>;
  owner?: Owner;
  /** The escalation a leader acknowledges (its `/escalations/<id>` page is the leader's link). */
  escalationId?: number;
}

export type RecipientRole = 'unit' | 'head' | 'office' | 'leader' | 'police';

/**
 * Per template: the catalogue prefix (campaign rungs share the clue rungs' wording, with another item)
 * and the roles written for it, the first being the role of the staff of an addressed unit.
 */
const TEMPLATES: Record<
  TemplateName,
  { prefix: string; roles: RecipientRole[]; rung?: 'reminder' | 'ladder' }
> = {
  reminder: { prefix: 'reminder', roles: ['unit'], rung: 'reminder' },
  followUp: { prefix: 'followUp', roles: ['unit'], rung: 'reminder' },
  campaignReminder: { prefix: 'campaignReminder', roles: ['unit'], rung: 'reminder' },
  escalation: { prefix: 'escalation', roles: ['unit', 'head', 'office', 'leader'], rung: 'ladder' },
  campaignEscalation: { prefix: 'escalation', roles: ['unit', 'head', 'office', 'leader'], rung: 'ladder' },
  accountability: { prefix: 'accountability', roles: ['unit', 'head', 'office', 'leader'], rung: 'ladder' },
  campaignAccountability: {
    prefix: 'accountability',
    roles: ['unit', 'head', 'office', 'leader'],
    rung: 'ladder',
  },
  referral: { prefix: 'referral', roles: ['police'] },
  referralReturned: { prefix: 'referralReturned', roles: ['unit', 'office'] },
  extensionRequested: { prefix: 'extensionRequested', roles: ['office'] },
  informationExchanged: { prefix: 'informationExchanged', roles: ['unit'] },
  stageChanged: { prefix: 'stageChanged', roles: ['unit'] },
  duplicateLinked: { prefix: 'duplicateLinked', roles: ['unit'] },
  campaignPhase: { prefix: 'campaignPhase', roles: ['unit'] },
  campaignConcluded: { prefix: 'campaignConcluded', roles: ['unit'] },
  campaignCancelled: { prefix: 'campaignCancelled', roles: ['unit'] },
  campaignJoined: { prefix: 'campaignJoined', roles: ['unit'] },
  campaignLeft: { prefix: 'campaignLeft', roles: ['unit'] },
  digest: { prefix: 'digest', roles: ['leader'] },
};

/** One recipient of one notice. */
export interface Recipient {
  /** Suffix of the outbox key: the user id, or `unit:<id>|email`, `head:<id>|email`, `unit:<id>|wecom`. */
  key: string;
  channel: 'email' | 'wecom' | 'dingtalk';
  /** Users get an in-app row too; mailboxes and robots do not. */
  userId?: string;
  /** Email address, or the unit id for a robot (the relay looks the webhook up at send time). */
  address: string;
  locale: Locale;
  role: RecipientRole;
  /** The unit the recipient belongs to or stands for. */
  unitId: string | null;
  /** A person's name, for the salutation. */
  name?: string;
}

export interface UnitRow {
  id: string;
  name_zh: string;
  name_en: string;
  email: string | null;
  head_name: string | null;
  head_email: string | null;
  wecom: boolean;
  dingtalk: boolean;
  active: boolean;
}

interface UserRow {
  id: string;
  name: string;
  email: string;
  locale: Locale;
  unit_id: string | null;
  role: Role;
  is_unit_head: boolean;
}

export async function loadUnits(e: EntityManager): Promise<Map<string, UnitRow>> {
  const rows = await e.getConnection().execute<UnitRow[]>(
    `select id, name_zh, name_en, email, head_name, head_email, active,
            coalesce(wecom_webhook_url, '') <> '' as wecom, coalesce(dingtalk_webhook_url, '') <> '' as dingtalk
       from units`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Everyone the audience reaches, each with its role in the notice: a unit's head reads the
 * supervision notice where heads are addressed, otherwise a unit's staff read the unit's text, and
 * role-wide recipients the text of their role.
 */
export function resolveRecipients(
  n: Pick<NotifyInput, 'template' | 'audience'>,
  users: UserRow[],
  units: Map<string, UnitRow>,
): Recipient[] {
  const unitIds = new Set(n.audience.unitIds ?? []);
  const headsOf = new Set(n.audience.unitHeadsOf ?? []);
  const roles = new Set(n.audience.roles ?? []);
  const unitRole = TEMPLATES[n.template].roles[0] ?? 'unit';
  const headUsers = new Set(users.filter((u) => u.is_unit_head && u.unit_id !== null).map((u) => u.unit_id));
  const out: Recipient[] = [];
  const seen = new Set<string>();
  const add = (r: Recipient) => {
    const id = `${r.channel}|${r.role}|${r.address.toLowerCase()}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(r);
  };
  for (const u of users) {
    const staff = u.unit_id !== null && unitIds.has(u.unit_id) && u.role !== 'leader' && u.role !== 'admin';
    const role: RecipientRole | undefined =
      u.unit_id !== null && headsOf.has(u.unit_id) && u.is_unit_head
        ? 'head'
        : staff
          ? unitRole
          : roles.has(u.role)
            ? ROLE_OF[u.role]
            : undefined;
    if (!role) continue;
    add({
      key: u.id,
      channel: 'email',
      userId: u.id,
      address: u.email,
      locale: u.locale,
      role,
      unitId: u.unit_id,
      name: u.name,
    });
  }
  for (const id of unitIds) {
    const unit = units.get(id);
    if (!unit?.active) continue;
    const base = { locale: DEFAULT_LOCALE, role: unitRole, unitId: id };
    if (unit.email) add({ ...base, key: `unit:${id}|email`, channel: 'email', address: unit.email });
    if (unit.wecom) add({ ...base, key: `unit:${id}|wecom`, channel: 'wecom', address: id });
    if (unit.dingtalk) add({ ...base, key: `unit:${id}|dingtalk`, channel: 'dingtalk', address: id });
  }
  for (const id of headsOf) {
    const unit = units.get(id);
    // A head with a user account is reached there (its address and language); the contact is for the others.
    if (!unit?.active || !unit.head_email || headUsers.has(id)) continue;
    add({
      key: `head:${id}|email`,
      channel: 'email',
      address: unit.head_email,
      locale: DEFAULT_LOCALE,
      role: 'head',
      unitId: id,
      name: unit.head_name ?? undefined,
    });
  }
  return out;
}

const ROLE_OF: Partial<Record<Role, RecipientRole>> = {
  coordinator: 'office',
  leader: 'leader',
  police_liaison: 'police',
  unit_officer: 'unit',
};

/** Parameters whose values are codes get the recipient's language label (e.g. task → 核查). */
const TRANSLATED_PARAMS: Record<string, string> = {
  stage: 'stage',
  task: 'task',
  phase: 'campaignPhase',
  // The automatic referral's reason is a fixed text the workflow writes (clue.workflow.ts); a
  // reason someone typed has no label and stays as typed.
  reason: 'referralReason',
};

const has = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(messages.en, key);

function unitName(units: Map<string, UnitRow>, id: string | null | undefined, locale: Locale): string {
  const u = id ? units.get(id) : undefined;
  return u ? (locale === 'en' ? u.name_en : u.name_zh) : (id ?? '');
}

/** Who supervises at a rung (a longer custom ladder keeps the leading group at the top). */
function supervisors(locale: Locale, level: number): string {
  return t(locale, 'notify.supervisors', { level });
}

/** Where the recipient acts (src/links.ts routes). */
export function linkFor(n: NotifyInput, role: RecipientRole, unitId: string | null): LinkTarget {
  const o = n.owner;
  if (role === 'leader')
    return n.escalationId !== undefined
      ? { page: 'escalation', escalationId: n.escalationId }
      : { page: 'escalations' };
  if (!o) return { page: 'my-work' };
  if (o.type === 'campaign') {
    const unit = role === 'unit' || role === 'head' ? unitId : String(n.params.unit ?? '');
    return unit
      ? { page: 'campaign-unit', campaignId: o.id, unitId: unit }
      : { page: 'campaign', campaignId: o.id };
  }
  if (role === 'police') return { page: 'referral', clueId: o.id };
  if (role === 'office' && n.template === 'extensionRequested')
    return { page: 'review', queue: 'extensions' };
  if (role === 'office' && n.template === 'referralReturned') return { page: 'review', queue: 'referrals' };
  // The District Office's own steps are done from its review queues.
  if (role === 'unit' && n.params.task === 'plan_review') return { page: 'review', queue: 'plans' };
  if (role === 'unit' && n.params.task === 'closure_review') return { page: 'review', queue: 'closures' };
  return { page: 'clue', clueId: o.id };
}

export interface Rendered {
  subject: string;
  body: string;
  /** The text between salutation and link (robots show it under the subject). */
  text: string;
  url: string;
  /** The link line with `{url}` as given (robots pass a markdown link). */
  linkLine(url: string): string;
}

/** The message one recipient reads. */
export function renderFor(
  n: NotifyInput,
  r: Pick<Recipient, 'locale' | 'role' | 'unitId' | 'name'>,
  units: Map<string, UnitRow>,
  publicUrl: string,
): Rendered {
  const locale = r.locale;
  const spec = TEMPLATES[n.template];
  const role = has(`${spec.prefix}.${r.role}.subject`) ? r.role : spec.roles[0]!;
  const raw = { ...n.params, ...n.localeParams?.[locale] };
  const p: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(raw)) {
    const kind = TRANSLATED_PARAMS[k];
    if (kind && has(`${kind}.${v}`)) p[k] = t(locale, `${kind}.${v}` as MessageKey);
    else if ((k === 'unit' || k === 'unitName') && units.has(String(v)))
      p[k] = unitName(units, String(v), locale);
    else if (k.endsWith('At') && typeof v === 'number') p[k] = formatDateTime(v, locale);
    else p[k] = v;
  }
  const item = n.owner?.type === 'campaign' ? 'campaign' : 'clue';
  if (p.campaign === undefined && n.owner?.type === 'campaign') p.campaign = n.owner.ref ?? n.owner.id;
  p.item = t(locale, `notify.item.${item}` as MessageKey, p);
  p.itemText = t(locale, `notify.itemText.${item}` as MessageKey, p);
  if (typeof raw.daysOverdue === 'number') p.lateness = t(locale, 'notify.lateness', p);
  const level = Number(raw.level ?? 0);
  const top = Number(raw.topLevel ?? 0);
  if (spec.rung === 'ladder') {
    p.rung = t(locale, 'notify.rung', { level });
    p.supervisors = supervisors(locale, level);
  }
  if (spec.rung === 'reminder' || (spec.rung === 'ladder' && level < top)) {
    const next = spec.rung === 'reminder' ? 1 : level + 1;
    p.next = t(locale, spec.rung === 'reminder' ? 'notify.next.afterDue' : 'notify.next.afterRung', {
      nextRung: t(locale, 'notify.rung', { level: next }),
      nextSupervisors: supervisors(locale, next),
      nextTop: top > 0 && next >= top ? 'yes' : 'no',
    });
  } else p.next = '';
  const url = linkTo(publicUrl, linkFor(n, r.role, r.unitId));
  const salutation =
    r.role === 'office'
      ? t(locale, 'notify.salutation.office')
      : (r.role === 'head' || r.role === 'leader') && r.name
        ? t(locale, 'notify.salutation.person', { name: r.name })
        : r.role === 'head'
          ? t(locale, 'notify.salutation.head', { to: unitName(units, r.unitId, locale) })
          : r.unitId
            ? t(locale, 'notify.salutation.unit', { to: unitName(units, r.unitId, locale) })
            : t(locale, 'notify.salutation.person', { name: r.name ?? '' });
  const subject = t(locale, `${spec.prefix}.${role}.subject` as MessageKey, p);
  const text = t(locale, `${spec.prefix}.${role}.body` as MessageKey, p).trimEnd();
  const linkLine = (u: string) => t(locale, `notify.link.${r.role}` as MessageKey, { url: u });
  const body = `${salutation}\n\n${text}\n\n${linkLine(url)}\n\n${t(locale, 'notify.footer')}`;
  return { subject, body, text, url, linkLine };
}

export interface NotifyDeps {
  em(): EntityManager;
  outbox: OutboxSender;
  publicUrl: string;
  log?: { warn(o: object, msg?: string): void };
}

export function createNotify(deps: NotifyDeps) {
  async function users(e: EntityManager, a: Audience): Promise<UserRow[]> {
    return e.getConnection().execute<UserRow[]>(
      `select id, name, email, locale, unit_id, role, is_unit_head from users
        where active and (
          (unit_id = any(?::text[]) and role in ('unit_officer','police_liaison','coordinator'))
          or (unit_id = any(?::text[]) and is_unit_head)
          or role = any(?::text[]))
        order by id`,
      [pgTextArray(a.unitIds ?? []), pgTextArray(a.unitHeadsOf ?? []), pgTextArray(a.roles ?? [])],
    );
  }

  /** Writes every recipient's rows in one transaction, then tries to send them at once. */
  async function notify(n: NotifyInput): Promise<{ recipients: number }> {
    const e = deps.em();
    const units = await loadUnits(e);
    const recipients = resolveRecipients(n, await users(e, n.audience), units);
    await e.transactional(async (tx) => {
      for (const r of recipients) {
        const m = renderFor(n, r, units, deps.publicUrl);
        const outboxKey = `${n.key}|${r.key}`;
        if (r.userId) {
          await sql(
            tx,
            `insert into notifications (key, user_id, unit_id, kind, subject, body, locale, owner_type, owner_id) values (?,?,?,?,?,?,?,?,?) on conflict (key, user_id) do nothing`,
            [
              n.key,
              r.userId,
              r.unitId,
              n.kind,
              m.subject,
              m.body,
              r.locale,
              n.owner?.type ?? null,
              n.owner?.id ?? null,
            ],
          );
        }
        // Robots get a short markdown text: the subject as heading, the order, and the link.
        const body =
          r.channel === 'email'
            ? m.body
            : `### ${m.subject}\n\n${m.text}\n\n${m.linkLine(`[${m.url}](${m.url})`)}`;
        await sql(
          tx,
          `insert into mail_outbox (key, to_addr, subject, body, message_id, status, channel) values (?,?,?,?,?,'pending',?) on conflict (key) do nothing`,
          [outboxKey, r.address, m.subject, body, messageIdFor(outboxKey, r.address), r.channel],
        );
      }
    });
    // Sent now if the server takes it; otherwise left pending for the relay, so the workflow that
    // notified goes on (an outage delays messages, never escalations or stage changes).
    const d = await deps.outbox.deliverKey(`${n.key}|`);
    if (d.deferred > 0)
      deps.log?.warn({ kind: n.kind, deferred: d.deferred }, 'message deferred to the outbox relay');
    return { recipients: recipients.length };
  }

  return notify;
}
