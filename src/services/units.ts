/**
 * Editing a unit's contacts (issue 12 "Every unit is reachable"): its contact mailbox, the unit head
 * contact and its WeCom / DingTalk group robots. Used by `PATCH /api/v1/units/{unitId}` and
 * `npm run admin -- units set`. The DingTalk secret is write-only: stored encrypted, shown as
 * `dingtalkSecretSet`; webhook URLs are shown with their access tokens masked.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit, type AuditEvent } from '../audit';
import { sql } from '../db/sql';
import {
  encryptRobotSecret,
  redactWebhookUrl,
  robotChannelsOf,
  webhookUrlProblem,
  type RobotChannel,
} from '../notify/robots';

const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000]*$/, 'must not contain NUL characters');
const email = z.email().max(255);
/** https (plain http only to 127.0.0.1 / localhost), said as a pattern too so the OpenAPI document shows it. */
const webhookUrl = () =>
  z
    .string()
    .trim()
    .max(1000)
    .regex(
      /^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?(\/|$))/,
      'must be an https URL (plain http only to 127.0.0.1 or localhost)',
    )
    .superRefine((s, ctx) => {
      const problem = webhookUrlProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * A change to a unit: every field optional; `null` clears a contact. A factory: zod 4 gives `.openapi()`
 * only to schemas built after api/schemas.ts extends zod, and that module builds its own.
 */
export const unitUpdateInput = () =>
  z
    .object({
      nameZh: name.optional(),
      nameEn: name.optional(),
      email: email.nullable().optional(),
      headName: name.nullable().optional(),
      headEmail: email.nullable().optional(),
      wecomWebhookUrl: webhookUrl().nullable().optional(),
      dingtalkWebhookUrl: webhookUrl().nullable().optional(),
      /** DingTalk robot 加签 secret (`SEC…`); write-only. */
      dingtalkSecret: z
        .string()
        .min(8)
        .max(200)
        .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces')
        .nullable()
        .optional(),
    })
    .strict()
    .refine((o) => Object.values(o).some((v) => v !== undefined), {
      message: 'name at least one field to change',
    });
export const UnitUpdateInput = unitUpdateInput();
export type UnitUpdate = z.infer<typeof UnitUpdateInput>;

/** What an admin sees of a unit: its contacts, robots redacted, the secret only as "set". */
export interface UnitContactsView {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  active: boolean;
  email: string | null;
  headName: string | null;
  headEmail: string | null;
  wecomWebhookUrl: string | null;
  dingtalkWebhookUrl: string | null;
  dingtalkSecretSet: boolean;
  robotChannels: RobotChannel[];
}

interface UnitRow {
  id: string;
  name_zh: string;
  name_en: string;
  kind: string;
  active: boolean;
  email: string | null;
  head_name: string | null;
  head_email: string | null;
  wecom_webhook_url: string | null;
  dingtalk_webhook_url: string | null;
  dingtalk_secret: string | null;
}

const COLUMNS =
  'id, name_zh, name_en, kind, active, email, head_name, head_email, wecom_webhook_url, dingtalk_webhook_url, dingtalk_secret';

function view(r: UnitRow): UnitContactsView {
  return {
    id: r.id,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    kind: r.kind,
    active: r.active,
    email: r.email,
    headName: r.head_name,
    headEmail: r.head_email,
    wecomWebhookUrl: redactWebhookUrl(r.wecom_webhook_url),
    dingtalkWebhookUrl: redactWebhookUrl(r.dingtalk_webhook_url),
    dingtalkSecretSet: r.dingtalk_secret !== null,
    robotChannels: robotChannelsOf(r),
  };
}

/** A change that is well-formed but does not fit the unit as it is: the field path and why. */
export class UnitUpdateConflict extends Error {
  constructor(
    readonly path: string[],
    message: string,
  ) {
    super(message);
  }
}

export async function unitContacts(em: EntityManager, unitId: string): Promise<UnitContactsView | undefined> {
  const [row] = await em
    .getConnection()
    .execute<UnitRow[]>(`select ${COLUMNS} from units where id = ?`, [unitId]);
  return row ? view(row) : undefined;
}

export async function listUnitContacts(em: EntityManager): Promise<UnitContactsView[]> {
  const rows = await em.getConnection().execute<UnitRow[]>(`select ${COLUMNS} from units order by kind, id`);
  return rows.map(view);
}

/**
 * Applies `change` (already parsed by `UnitUpdateInput`) to unit `unitId` and records `unit.update` in
 * the audit log, in one transaction. Undefined: no such unit. A DingTalk webhook needs a signing secret
 * (every DingTalk request is signed), else UnitUpdateConflict.
 */
export async function updateUnit(
  em: EntityManager,
  o: {
    unitId: string;
    change: UnitUpdate;
    /** The reporter key: the DingTalk secret is encrypted with it. */
    secretKey: string;
    actor: Pick<AuditEvent, 'actorId' | 'role' | 'unitId'>;
    requestId?: string | null;
  },
): Promise<UnitContactsView | undefined> {
  const c = o.change;
  return em.transactional(async (tx) => {
    const [before] = await sql<UnitRow[]>(
      tx as EntityManager,
      `select ${COLUMNS} from units where id = ? for update`,
      [o.unitId],
    );
    if (!before) return undefined;
    const set: Record<keyof UnitRow & string, unknown> = {} as never;
    const put = (col: keyof UnitRow, v: unknown) => {
      if (v !== undefined) set[col] = v;
    };
    put('name_zh', c.nameZh);
    put('name_en', c.nameEn);
    put('email', c.email);
    put('head_name', c.headName);
    put('head_email', c.headEmail);
    put('wecom_webhook_url', c.wecomWebhookUrl);
    put('dingtalk_webhook_url', c.dingtalkWebhookUrl);
    if (c.dingtalkSecret !== undefined)
      set.dingtalk_secret =
        c.dingtalkSecret === null ? null : encryptRobotSecret(o.secretKey, o.unitId, c.dingtalkSecret);
    const after = { ...before, ...set } as UnitRow;
    if (after.dingtalk_webhook_url && !after.dingtalk_secret)
      throw new UnitUpdateConflict(
        ['dingtalkSecret'],
        'a DingTalk webhook needs its signing secret (DingTalk requests are signed)',
      );
    const cols = Object.keys(set);
    await sql(
      tx as EntityManager,
      `update units set ${cols.map((k) => `${k} = ?`).join(', ')} where id = ?`,
      [...cols.map((k) => set[k as keyof UnitRow]), o.unitId],
    );
    await recordAudit(tx as EntityManager, {
      ...o.actor,
      action: 'unit.update',
      target: `unit:${o.unitId}`,
      requestId: o.requestId ?? null,
      // Which fields changed; webhook URLs masked, the secret never.
      details: {
        fields: Object.keys(c).filter((k) => c[k as keyof UnitUpdate] !== undefined),
        ...(c.wecomWebhookUrl !== undefined && { wecomWebhookUrl: redactWebhookUrl(c.wecomWebhookUrl) }),
        ...(c.dingtalkWebhookUrl !== undefined && {
          dingtalkWebhookUrl: redactWebhookUrl(c.dingtalkWebhookUrl),
        }),
      },
    });
    return view(after);
  });
}
