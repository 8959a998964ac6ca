import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Orm } from './db/orm';
import { getCalendar } from './calendars';
import type { DeadlinePolicy, ResolvedPolicy } from './policy';

/** What the API and services need; built once by the entry point. */
export interface AppContext {
  config: Config;
  orm: Orm;
  temporal: Client;
  reporterKey: string;
  log: Logger;
}

export function resolvePolicy(p: DeadlinePolicy): ResolvedPolicy {
  return { ...p, calendarData: getCalendar(p.calendar) };
}
