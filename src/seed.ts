/**
 * The demo district seeded on first start: the District Office, towns (Tushan Scenic Area counts as one),
 * communities, departments, public security, and one user per role. Tokens and initial passwords
 * are printed once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { generatePassword, setPassword } from './auth/passwords';
import { issueToken } from './auth/tokens';

/** Each unit has a contact mailbox and a head contact, so units without a user account still get notices. */
export const DEMO_UNITS = [
  {
    id: 'district-office',
    nameZh: '区处置非法集资工作领导小组办公室',
    nameEn: 'District Office',
    kind: 'district_office',
    email: 'office@district.local',
    headName: 'Huang Min',
    headEmail: 'office-head@district.local',
  },
  {
    id: 'tushan-scenic-area',
    nameZh: '涂山风景区',
    nameEn: 'Tushan Scenic Area',
    kind: 'town',
    email: 'tushan@district.local',
    headName: 'Chen Jie',
    headEmail: 'tushan-head@district.local',
  },
  {
    id: 'changhuai-town',
    nameZh: '长淮街道',
    nameEn: 'Changhuai Town',
    kind: 'town',
    email: 'changhuai@district.local',
    headName: 'Zhao Lei',
    headEmail: 'changhuai-head@district.local',
  },
  {
    id: 'yanshan-town',
    nameZh: '燕山乡',
    nameEn: 'Yanshan Town',
    kind: 'town',
    email: 'yanshan@district.local',
    headName: 'Liu Yang',
    headEmail: 'yanshan-head@district.local',
  },
  {
    id: 'donghai-community',
    nameZh: '东海社区',
    nameEn: 'Donghai Community',
    kind: 'community',
    email: 'donghai@district.local',
    headName: 'Wu Hong',
    headEmail: 'donghai-head@district.local',
  },
  {
    id: 'market-regulation',
    nameZh: '区市场监督管理局',
    nameEn: 'Market Regulation Bureau',
    kind: 'department',
    email: 'market@district.local',
    headName: 'Sun Li',
    headEmail: 'market-head@district.local',
  },
  {
    id: 'finance-bureau',
    nameZh: '区财政局',
    nameEn: 'Finance Bureau',
    kind: 'department',
    email: 'finance@district.local',
    headName: 'Xu Jing',
    headEmail: 'finance-head@district.local',
  },
  {
    id: 'public-security',
    nameZh: '区公安分局',
    nameEn: 'Public Security Bureau',
    kind: 'department',
    email: 'police@district.local',
    headName: 'Ma Gang',
    headEmail: 'police-head@district.local',
  },
] as const;

export const DEMO_USERS = [
  {
    id: 'u-coordinator',
    name: 'Zhang Wei',
    email: 'coordinator@district.local',
    role: 'coordinator',
    unitId: 'district-office',
    head: false,
    locale: 'zh-CN',
  },
  {
    id: 'u-leader',
    name: 'Li Na',
    email: 'leader@district.local',
    role: 'leader',
    unitId: null,
    head: false,
    locale: 'zh-CN',
  },
  {
    id: 'u-tushan',
    name: 'Wang Fang',
    email: 'tushan@district.local',
    role: 'unit_officer',
    unitId: 'tushan-scenic-area',
    head: false,
    locale: 'zh-CN',
  },
  {
    id: 'u-tushan-head',
    name: 'Chen Jie',
    email: 'tushan-head@district.local',
    role: 'unit_officer',
    unitId: 'tushan-scenic-area',
    head: true,
    locale: 'zh-CN',
  },
  {
    id: 'u-changhuai',
    name: 'Zhao Lei',
    email: 'changhuai@district.local',
    role: 'unit_officer',
    unitId: 'changhuai-town',
    head: true,
    locale: 'en',
  },
  {
    id: 'u-market',
    name: 'Sun Li',
    email: 'market@district.local',
    role: 'unit_officer',
    unitId: 'market-regulation',
    head: true,
    locale: 'zh-CN',
  },
  {
    id: 'u-police',
    name: 'Zhou Qiang',
    email: 'police@district.local',
    role: 'police_liaison',
    unitId: 'public-security',
    head: false,
    locale: 'zh-CN',
  },
  {
    id: 'u-admin',
    name: 'Admin',
    email: 'admin@district.local',
    role: 'admin',
    unitId: null,
    head: false,
    locale: 'en',
  },
] as const;

/** Seeds units and users if there are none yet; returns the new tokens (user id → token) or undefined. */
export async function seedDemoDistrict(em: EntityManager): Promise<Record<string, string> | undefined> {
  const conn = em.getConnection();
  const [{ n } = { n: 0 }] = await conn.execute<{ n: number }[]>('select count(*)::int as n from users');
  if (n > 0) return undefined;
  for (const u of DEMO_UNITS) {
    await conn.execute(
      `insert into units (id, name_zh, name_en, kind, email, head_name, head_email, active) values (?,?,?,?,?,?,?,true) on conflict (id) do nothing`,
      [u.id, u.nameZh, u.nameEn, u.kind, u.email, u.headName, u.headEmail],
    );
  }
  const tokens: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    await conn.execute(
      `insert into users (id, name, email, role, unit_id, is_unit_head, locale, active) values (?,?,?,?,?,?,?,true) on conflict (id) do nothing`,
      [u.id, u.name, u.email, u.role, u.unitId, u.head, u.locale],
    );
    tokens[u.id] = (await issueToken(em, u.id, 'demo')).token;
  }
  return tokens;
}

/**
 * Gives each newly seeded demo user a random initial password (user id → password, to print once).
 * Separate from seedDemoDistrict because each password costs a deliberate ~0.4 s of hashing, which
 * test databases that sign in through tokens need not pay.
 */
export async function seedDemoPasswords(
  em: EntityManager,
  userIds: readonly string[],
): Promise<Record<string, string>> {
  const passwords: Record<string, string> = {};
  for (const id of userIds) {
    const password = generatePassword();
    if (await setPassword(em, id, password)) passwords[id] = password;
  }
  return passwords;
}
