/** Reporter identity is confidential (notice IV.1 "mass reports"): AES-256-GCM at rest, unmasked only for coordinators. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Reporter {
  name: string;
  contact: string;
}

export function encryptReporter(keyHex: string, r: Reporter): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const enc = Buffer.concat([c.update(JSON.stringify(r), 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), enc.toString('base64')].join('.');
}

export function decryptReporter(keyHex: string, blob: string): Reporter {
  const [v, iv, tag, enc] = blob.split('.');
  if (v !== 'v1' || !iv || !tag || !enc) throw new Error('unknown reporter ciphertext format');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), Buffer.from(iv, 'base64'));
  d.setAuthTag(Buffer.from(tag, 'base64'));
  return JSON.parse(
    Buffer.concat([d.update(Buffer.from(enc, 'base64')), d.final()]).toString('utf8'),
  ) as Reporter;
}

/** Embedded default only: a key generated once and kept beside the data (0600). Real deployments set REPORTER_KEY. */
export function loadOrCreateLocalKey(dataDir: string): string {
  const file = path.resolve(dataDir, 'reporter.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}
