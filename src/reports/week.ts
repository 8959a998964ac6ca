/**
 * ISO-8601 week of an instant in China Standard Time (UTC+8, no daylight saving), e.g. `2026-W22`.
 * PURE: safe in workflow code (the weekly digest derives its idempotency key from it).
 */
const CST_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export function isoWeekKey(ms: number): string {
  const local = new Date(ms + CST_MS);
  // The Thursday of this ISO week decides the week-numbering year.
  const day = (local.getUTCDay() + 6) % 7; // Monday = 0
  const thursday =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - day * DAY_MS + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
