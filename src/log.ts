import pino, { type Logger } from 'pino';

/** Structured logs; authorization headers, tokens and reporter fields are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.reporter', '*.reporterEnc', 'token', 'reporter'],
      censor: '[redacted]',
    },
  });
}
