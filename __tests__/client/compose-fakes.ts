import { vi } from 'vitest';
import type { ComposeApi } from '../../src/client/compose/compose-api';
import type { ReplyDraft } from '../../src/shared/send-api';
import { account } from './mail-center-fakes';

/** Test data for the compose component tests (not a test file itself). */
export const accounts = [
  account({ id: 1, email: 'me@gmail.example', displayName: 'Me', aliases: [{ email: 'sales@corp.example', displayName: 'Sales', isPrimary: false }] }),
  account({ id: 2, email: 'me@outlook.example', displayName: 'Me at Outlook', provider: 'outlook' }),
];

export const replyAll = (over: Partial<ReplyDraft> = {}): ReplyDraft => ({
  accountId: 1,
  mode: 'replyAll',
  replyToMessageId: 42,
  from: 'sales@corp.example',
  to: [{ name: 'Alice Customer', address: 'alice@customer.test' }, { address: 'bob@customer.test' }],
  cc: [{ address: 'carol@customer.test' }],
  bcc: [],
  subject: 'Re: Order 42',
  html: '<div class="email-manager-quote"><div>On Jan 6, 2025, Alice wrote:</div><blockquote><p>Where is my order?</p><img src="cid:stamp@customer.test"></blockquote></div>',
  inReplyTo: '<order-1@customer.test>',
  references: '<order-1@customer.test>',
  threadId: 't42',
  attachments: [{ id: 501, messageId: 42, filename: 'stamp.png', mimeType: 'image/png', size: 68, contentId: 'stamp@customer.test', inline: true }],
  ...over,
});

export function fakeComposeApi(over: Partial<ComposeApi> = {}): ComposeApi {
  let uploads = 0;
  let drafts = 900;
  return {
    upload: vi.fn(async (file: File, onProgress?: (f: number) => void) => {
      onProgress?.(1);
      uploads += 1;
      return { id: `upload-${uploads}`, filename: file.name, size: file.size, mimeType: file.type || 'application/octet-stream' };
    }),
    deleteUpload: vi.fn(async () => undefined),
    replyDraft: vi.fn(async () => replyAll()),
    send: vi.fn(async () => ({ id: 77, providerMessageId: 'p77', threadId: 't77' })),
    saveDraft: vi.fn(async (input) => ({
      id: input.draftId ?? ++drafts,
      providerMessageId: 'd1',
      threadId: null,
      attachments: (input.attachmentIds || []).map((ref, i) => {
        const id = typeof ref === 'string' ? ref : ref.id;
        return { id: 600 + i, messageId: input.draftId ?? drafts, filename: `${id}.bin`, mimeType: 'application/octet-stream', size: 10, contentId: typeof ref === 'string' ? null : ref.contentId || null, inline: typeof ref !== 'string' };
      }),
    })),
    openDraft: vi.fn(),
    deleteDraft: vi.fn(async () => undefined),
    download: vi.fn(async () => new Blob(['x'], { type: 'image/png' })),
    inlineImage: vi.fn(async () => new Blob(['x'], { type: 'image/png' })),
    suggestAddresses: vi.fn(async () => []),
    settings: vi.fn(async () => ({ autoSave: false })),
    setSettings: vi.fn(async (settings) => settings),
    findDraft: vi.fn(async () => null),
    signatures: vi.fn(async () => []),
    defaultSignature: vi.fn(async () => null),
    saveSignature: vi.fn(async (input) => ({ id: input.id ?? 1, name: input.name || '', html: input.html || '', isDefault: Boolean(input.isDefault), accountId: input.accountId ?? null })),
    removeSignature: vi.fn(async () => undefined),
    templates: vi.fn(async () => []),
    saveTemplate: vi.fn(async (input) => ({ id: input.id ?? 1, name: input.name || '', subject: input.subject || '', html: input.html || '' })),
    removeTemplate: vi.fn(async () => undefined),
    schedule: vi.fn(async (input) => ({ id: input.draftId ?? 950, providerMessageId: 'd9', threadId: null, attachments: [], scheduledAt: input.sendAt, scheduleStatus: 'scheduled' as const })),
    listScheduled: vi.fn(async () => []),
    cancelSchedule: vi.fn(async () => undefined),
    bulkPreview: vi.fn(async () => ({ total: 3, valid: 3, invalid: 0, invalidExamples: [], duplicates: 0, records: 3, limit: 2000 })),
    bulkCreate: vi.fn(),
    ...over,
  } as ComposeApi;
}

// ProseMirror measures text when it scrolls the cursor into view; jsdom has no layout, so its
// ranges and text nodes get empty measurements.
if (typeof window !== 'undefined') {
  const empty = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) });
  const rects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  if (!Range.prototype.getClientRects) Range.prototype.getClientRects = rects;
  if (!Range.prototype.getBoundingClientRect) Range.prototype.getBoundingClientRect = empty as any;
  if (!(Text.prototype as any).getClientRects) (Text.prototype as any).getClientRects = rects;
  if (!document.elementFromPoint) document.elementFromPoint = () => null;
}
