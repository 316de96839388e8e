import fs from 'node:fs';
import { it } from 'vitest';
import { summarize } from '../../../dev/emulators/shared/message-summary';
it('parses all fixtures', () => {
  const dir = '/work/shared/fixtures/mime';
  const t = Date.now();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
    const s = summarize(fs.readFileSync(`${dir}/${f}`));
    console.log(f.padEnd(60), JSON.stringify(s.subject).slice(0, 40).padEnd(42), s.text.length, s.html.length, s.attachments.map((a) => `${a.filename || '?'}:${a.mimeType}:${a.size}${a.inline ? ':inline' : ''}${a.part.continued.size ? ':2231' : ''}`).join(' ').slice(0, 140));
  }
  console.log('ms', Date.now() - t);
});
