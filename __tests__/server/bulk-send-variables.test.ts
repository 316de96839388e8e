import { describe, expect, it } from 'vitest';
import { deriveJobStatus } from '../../src/shared/bulk-api';
import { fillHtml, fillSubject, snapshotOf, variablesOf } from '../../src/server/bulk/variables';
import { headerInjectionStrings, hostileStrings } from '../hostile/corpus';

/** S-BULK-3: `{{record.<field>}}` filled per recipient; escaped in the body, plain in the subject. */
describe('bulk send variables', () => {
  const record = { name: 'Ann <b>"&\'', city: null, company: { name: 'Acme & Co' }, tags: ['a', 'b'], n: 0 };

  it('lists the paths the templates use, each once', () => {
    expect(variablesOf('Hi {{record.name}}', '<p>{{ record.name }} of {{record.company.name}} {{record.x.y.z}} {{user.name}}</p>')).toEqual(['name', 'company.name']);
  });

  it('escapes values in the body and leaves the template markup alone', () => {
    expect(fillHtml('<p title="x">Dear {{record.name}} of {{record.company.name}}</p>', record)).toBe(
      '<p title="x">Dear Ann &lt;b&gt;&quot;&amp;&#39; of Acme &amp; Co</p>',
    );
  });

  it('gives plain text in the subject, on one line', () => {
    expect(fillSubject('Hello {{record.name}}\r\n({{record.company.name}})', record)).toBe('Hello Ann <b>"&\' (Acme & Co)');
  });

  it('hostile record values stay text: no markup in the body, no header break in the subject, no second expansion', () => {
    for (const { id, text } of [...hostileStrings('http://leak.hostile.test', 'bulk'), ...headerInjectionStrings('http://leak.hostile.test')]) {
      const record = { value: text, other: 'EXPANDED' };
      const body = fillHtml('<p>{{record.value}}</p>', record);
      // The template's own tags are the only ones: every < and " of the value is escaped.
      expect(body.slice(3, -4), id).not.toMatch(/[<>"]/);
      expect(body, id).not.toContain('EXPANDED');
      const subject = fillSubject('Hi {{record.value}}', record);
      expect(subject, id).not.toMatch(/[\r\n]/);
      expect(subject, id).not.toContain('EXPANDED');
    }
    expect(fillHtml('{{record.a}}', { a: '{{record.b}}', b: 'X' })).toBe('{{record.b}}');
  });

  it('fills a missing or empty field with an empty string, keeps 0, joins lists', () => {
    expect(fillHtml('[{{record.city}}][{{record.nope}}][{{record.company.nope}}][{{record.name.deeper}}][{{record.n}}][{{record.tags}}]', record)).toBe('[][][][][0][a, b]');
    expect(fillSubject('Hi {{record.name}}', null)).toBe('Hi');
  });

  it('keeps only the used fields of a row', () => {
    expect(snapshotOf({ ...record, secret: 'x', created: new Date(0) }, ['name', 'company.name', 'created', 'missing'])).toEqual({
      name: record.name,
      company: { name: 'Acme & Co' },
      created: '1970-01-01T00:00:00.000Z',
    });
  });

  it('derives the job status from the counts', () => {
    const c = (o: Partial<Record<'pending' | 'sending' | 'sent' | 'failed' | 'canceled', number>>) => {
      const counts = { pending: 0, sending: 0, sent: 0, failed: 0, canceled: 0, ...o };
      return { ...counts, total: counts.pending + counts.sending + counts.sent + counts.failed + counts.canceled };
    };
    const future = new Date(Date.now() + 60_000);
    expect(deriveJobStatus(c({ pending: 3 }), future)).toBe('scheduled');
    expect(deriveJobStatus(c({ pending: 3 }), null)).toBe('pending');
    // Invalid addresses fail at creation: still Pending until the first mail is taken.
    expect(deriveJobStatus(c({ pending: 2, failed: 1 }), null)).toBe('pending');
    expect(deriveJobStatus(c({ pending: 2, failed: 1 }), null, new Date(), true)).toBe('sending');
    expect(deriveJobStatus(c({ sending: 1, pending: 1 }), null)).toBe('sending');
    expect(deriveJobStatus(c({ sent: 3 }), null)).toBe('sent');
    expect(deriveJobStatus(c({ sent: 2, canceled: 1 }), null)).toBe('someSent');
    expect(deriveJobStatus(c({ failed: 2, canceled: 1 }), null)).toBe('failed');
    expect(deriveJobStatus(c({ canceled: 3 }), null)).toBe('canceled');
  });
});
