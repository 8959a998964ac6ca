/**
 * A local SMTP catcher for the loopback cluster (what Mailpit is in docker-compose.yml): accepts every
 * message on 127.0.0.1 and writes it as an .eml file, so the product talks real SMTP.
 *
 *   npx tsx scripts/cluster/mail-catcher.ts <dir> <port>   # runs until SIGTERM
 */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

function main(): void {
  const [dir, portArg] = process.argv.slice(2);
  const port = Number(portArg);
  if (!dir || !Number.isInteger(port) || port <= 0) {
    process.stderr.write('usage: mail-catcher.ts <dir> <port>\n');
    process.exit(2);
  }
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Senders keep pooled sessions open: closing ends them after 1 s instead of waiting 30 s.
    closeTimeout: 1000,
    size: 25 * 1024 * 1024,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        n += 1;
        const name = `${Date.now()}-${process.pid}-${n}.eml`;
        fs.writeFile(path.join(dir, name), Buffer.concat(chunks), (err) => cb(err ?? undefined));
      });
    },
  });
  server.on('error', (err) => process.stderr.write(`mail-catcher: ${err.message}\n`));
  server.listen(port, '127.0.0.1', () => process.stdout.write(`READY smtp://127.0.0.1:${port}\n`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
