import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths never written to a log, at the top level or one level down (pino redaction): credentials
 * (Authorization headers, cookies, tokens, secrets) and the reporter's identity in any form. The
 * request logger itself only writes method, path, status, role and unit; this is the safety net for
 * anything else a caller might log.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'token',
  'secret',
  'password',
  'reporter',
  'reporterEnc',
  'reporter_enc',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.secret',
  '*.password',
  '*.reporter',
  '*.reporterEnc',
  '*.reporter_enc',
  '*.headers.authorization',
  '*.headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** Structured JSON logs with credentials and reporter identity redacted wherever they appear. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
