import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/server/errors';
import { parseMime } from '../../src/server/mime/parse';
import { ThrottledError } from '../../src/server/providers/rate-limits';
import { GMAIL_SEND_LIMITS, GmailOutgoing } from '../../src/server/providers/gmail/send';
import { MessageTooLargeError, NotFoundError, ProviderUnavailableError, ReauthorizeError, type OutgoingMessage } from '../../src/server/providers/types';
import { buildMime, newMessageId } from '../../src/server/mime/build-mime';
import { providerFailure } from '../../src/server/send/provider-call';
import { PIXEL_PNG } from '../helpers/threads';

/** The MIME the pipeline builds, Gmail's size limit, and provider failures as the editor shows them. */
describe('build-mime', () => {
  it('builds From, To, Cc, kept Bcc, threading headers, HTML with a text alternative, files and cid images', async () => {
    const raw = await buildMime({
      from: { address: 'sales@corp.test', name: 'Sales Team' },
      to: [{ address: 'dan@x.test', name: 'Dan' }],
      cc: [{ address: 'eve@x.test' }],
      bcc: [{ address: 'hidden@x.test' }],
      subject: 'Grüße & offer',
      html: '<p>Hello <b>Dan</b> <img src="cid:logo@corp"></p>',
      messageId: '<id-1@corp.test>',
      inReplyTo: '<m2@x.test>',
      references: '<m1@x.test> <m2@x.test>',
      files: [
        { filename: 'offer.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF'), inline: false },
        { filename: 'logo.png', mimeType: 'image/png', content: PIXEL_PNG, contentId: 'logo@corp', inline: true },
      ],
    });
    const text = raw.toString();
    expect(text).toMatch(/^Bcc: hidden@x\.test$/m);
    expect(text).toMatch(/^In-Reply-To: <m2@x\.test>$/m);
    expect(text).toMatch(/^References: <m1@x\.test> <m2@x\.test>$/m);
    expect(text).toMatch(/multipart\/related/);
    const parsed = await parseMime(raw);
    expect(parsed).toMatchObject({
      messageId: '<id-1@corp.test>',
      subject: 'Grüße & offer',
      from: { address: 'sales@corp.test', name: 'Sales Team' },
      to: [{ address: 'dan@x.test', name: 'Dan' }],
      cc: [{ address: 'eve@x.test' }],
      bcc: [{ address: 'hidden@x.test' }],
      text: expect.stringMatching(/^Hello Dan\s*$/),
    });
    expect(parsed.attachments.map((a) => [a.filename, a.inline, a.contentId ?? null])).toEqual([
      ['logo.png', true, 'logo@corp'],
      ['offer.pdf', false, null],
    ]);
    expect(newMessageId('Sam@Gmail.test')).toMatch(/^<[a-z0-9]+\.[0-9a-f]{24}@gmail\.test>$/);
  });
});

describe('Gmail size limit', () => {
  const message = (size: number) => ({ original: null, mime: async () => Buffer.alloc(size) }) as unknown as OutgoingMessage;

  it('refuses a message over 35 MB before any request, and reads Gmail own refusal the same way', async () => {
    const call = vi.fn();
    const gmail = new GmailOutgoing({} as any, call as any);
    const error = await gmail.send(message(GMAIL_SEND_LIMITS.maxMessageBytes + 1)).catch((e) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(call).not.toHaveBeenCalled();

    const refusing = new GmailOutgoing({} as any, (async () => {
      throw Object.assign(new Error('Google send failed: Request payload size exceeds the limit: 36700160 bytes.'), { status: 400 });
    }) as any);
    expect(await refusing.send(message(100)).catch((e) => e)).toBeInstanceOf(MessageTooLargeError);
  });
});

describe('provider failures as the editor shows them', () => {
  const key = (error: unknown, operation: 'send' | 'save' | 'other' = 'send') => {
    const mapped = providerFailure(error, 'sam@gmail.test', operation);
    return mapped instanceof UserError ? [mapped.status, mapped.message] : mapped;
  };

  it('names what happened and what to do', () => {
    expect(key(new ReauthorizeError())).toEqual([409, 'The email address sam@gmail.test has an invalid grant. Please reauthorize your account.']);
    expect(key(new ProviderUnavailableError('x', 503))).toEqual([503, 'The mail provider did not answer. The email was not sent; please try again.']);
    expect(key(new ThrottledError(new Date()), 'save')).toEqual([503, 'The mail provider did not answer. The draft was not saved; please try again.']);
    expect(key(new NotFoundError())).toEqual([404, 'This email no longer exists']);
    expect(key(new MessageTooLargeError(40 * 1024 * 1024, GMAIL_SEND_LIMITS.maxMessageBytes))).toEqual([
      400,
      'The email is too large for the mail provider (40.0 MB, at most 35 MB)',
    ]);
    const refused = Object.assign(new Error('Microsoft Graph send failed: ErrorInvalidRecipients'), { status: 400 });
    expect(key(refused)).toEqual([400, 'The mail provider refused the email: Microsoft Graph send failed: ErrorInvalidRecipients']);
    // A bug is not dressed up as a provider message.
    const bug = new TypeError('x is undefined');
    expect(providerFailure(bug, 'a@b.test', 'send')).toBe(bug);
  });
});
