/** File downloads with a name people can read, in every browser. */
import type { Response } from 'express';

/** RFC 8187 value: percent-encoded UTF-8, also escaping what `encodeURIComponent` leaves but attr-char forbids. */
function rfc8187(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Sends a file: `filename*=UTF-8''` carries the real (e.g. Chinese) name, which browsers prefer;
 * `filename` is an ASCII fallback for old clients (pass a readable one, e.g. the English name).
 */
export function sendAttachment(
  res: Response,
  o: { name: string; asciiName: string; type: string; body: Buffer },
): void {
  const ascii = o.asciiName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '');
  res.setHeader('Content-Type', o.type);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${rfc8187(o.name)}`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).send(o.body);
}

/** The calendar day in China time, 2026-12-01 (for file names). */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
