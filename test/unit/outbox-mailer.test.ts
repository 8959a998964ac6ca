/** The local mail outbox of `npm start` (no SMTP server): one whole .eml file per message, nothing else. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOutboxMailer } from '../../src/mail/mailer';

test('given the local outbox, when two messages are sent side by side, then the folder holds exactly their two whole .eml files and no temporary file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  try {
    const mailer = createOutboxMailer(dir, 'District Office <noreply@district.local>');
    const text = '到期提醒 '.repeat(20_000);
    await Promise.all(
      ['<a@district.local>', '<b@district.local>'].map((messageId, i) =>
        mailer.send({ to: `officer${i}@district.local`, subject: 'Reminder', text, messageId }),
      ),
    );
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['_a_district.local_.eml', '_b_district.local_.eml']);
    for (const [i, f] of files.entries()) {
      const eml = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(eml).toMatch(new RegExp(`^To: officer${i}@district\\.local\\r$`, 'm'));
      expect(eml.endsWith(`${text}\r\n`)).toBe(true);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
