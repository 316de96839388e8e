import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComposeApi } from '../../src/client/compose/compose-api';
import { composeApi } from '../../src/client/compose/compose-api';
import type { SignatureView } from '../../src/shared/compose-api';
import { fakeComposeApi } from './compose-fakes';
import { openCompose } from './compose-render';

/**
 * The editor's extras (S-SIG-1, S-TPL-1, S-SCHED-1/2, S-BULK-1…3) against a fake API: the default
 * signature in its wrapper, swapped with From while untouched; the signature menu; templates
 * (overwrite question, signature kept, subject only when empty, save as template); schedule send
 * and cancelling it; bulk send with "Insert variable".
 */
afterEach(cleanup);
beforeEach(() => window.localStorage.clear());

const SALES: SignatureView = { id: 3, name: 'Sales', html: '<p>Best, the <strong>Sales</strong> team</p>', isDefault: true, accountId: 1 };
const OUTLOOK: SignatureView = { id: 4, name: 'Outlook', html: '<p>Sent from Outlook land</p>', isDefault: true, accountId: 2 };
const SHORT: SignatureView = { id: 5, name: 'Short', html: '<p>-- M</p>', isDefault: false, accountId: null };


const editor = () => screen.getByTestId('compose-editor');
const signatureBlock = () => editor().querySelector('.email-manager-signature');
const withSignatures = (over: Partial<ComposeApi> = {}) =>
  fakeComposeApi({
    defaultSignature: vi.fn(async (accountId: number) => (accountId === 1 ? SALES : accountId === 2 ? OUTLOOK : null)),
    signatures: vi.fn(async () => [SALES, SHORT]),
    ...over,
  });

/** Picks an entry of an antd dropdown menu opened by `trigger`. */
async function pickMenu(trigger: string, optionTestId: string, text?: string) {
  fireEvent.click(screen.getByTestId(trigger));
  const options = await screen.findAllByTestId(optionTestId);
  const option = text ? options.find((o) => o.textContent === text)! : options[0];
  fireEvent.click(option);
}

describe('signatures in the editor', () => {
  it("puts the From account's default into a new mail in its wrapper, without making the mail changed", async () => {
    const api = withSignatures();
    await openCompose(api, { to: 'dan@x.test' });
    await waitFor(() => expect(signatureBlock()?.textContent).toBe('Best, the Sales team'));
    expect(signatureBlock()!.getAttribute('data-signature-id')).toBe('3');
    expect(api.defaultSignature).toHaveBeenCalledWith(1);
    // Nothing the user did: closing asks nothing.
    fireEvent.click(screen.getByTestId('compose-close'));
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(screen.queryByTestId('compose-leave-save')).toBeNull();
  });

  it('goes out with the mail, above the quote of a reply', async () => {
    const api = withSignatures();
    await openCompose(api, { mode: 'replyAll', replyToMessageId: 42 });
    await waitFor(() => expect(signatureBlock()).not.toBeNull());
    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(api.send).toHaveBeenCalled());
    const html: string = (api.send as any).mock.calls[0][0].html;
    expect(html).toMatch(/^<p><\/p><div data-signature-id="3" class="email-manager-signature"><p>Best, the <strong>Sales<\/strong> team<\/p><\/div><div class="email-manager-quote">/);
  });

  it('changing From swaps the untouched default for the new account’s', async () => {
    const api = withSignatures();
    await openCompose(api, { to: 'dan@x.test' });
    await waitFor(() => expect(signatureBlock()?.textContent).toBe('Best, the Sales team'));
    fireEvent.mouseDown(within(screen.getByTestId('compose-from')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Me at Outlook <me@outlook.example>'));
    await waitFor(() => expect(signatureBlock()?.textContent).toBe('Sent from Outlook land'));
    expect(editor().querySelectorAll('.email-manager-signature')).toHaveLength(1);
  });

  it('the signature menu replaces only the signature block, or takes it out', async () => {
    const api = withSignatures({
      openDraft: vi.fn(async () => ({ id: 60, accountId: 1, mode: 'new' as const, replyToMessageId: null, from: 'me@gmail.example', to: [], cc: [], bcc: [], subject: 'Draft', html: '<p>My own text</p>', attachments: [] })),
    });
    await openCompose(api, { draftId: 60 });
    // A draft opened again gets no default: it has what it was saved with.
    expect(api.defaultSignature).not.toHaveBeenCalled();
    await pickMenu('compose-tool-signature', 'compose-signature-option', 'Short');
    await waitFor(() => expect(signatureBlock()?.textContent).toBe('-- M'));
    await pickMenu('compose-tool-signature', 'compose-signature-option', 'Sales');
    await waitFor(() => expect(signatureBlock()?.textContent).toBe('Best, the Sales team'));
    expect(editor().textContent).toBe('My own textBest, the Sales team');
    expect(api.signatures).toHaveBeenCalledWith(1);
    await pickMenu('compose-tool-signature', 'compose-signature-none');
    await waitFor(() => expect(signatureBlock()).toBeNull());
    expect(editor().textContent).toBe('My own text');
  });
});

describe('templates in the editor', () => {
  const TEMPLATE = { id: 9, name: 'Welcome', subject: 'Welcome aboard', html: '<p>Dear customer, welcome.</p>' };

  it('an empty mail takes the template at once: body, subject, and the signature stays', async () => {
    const api = withSignatures({ templates: vi.fn(async () => [TEMPLATE]) });
    await openCompose(api, { to: 'dan@x.test' });
    await waitFor(() => expect(signatureBlock()).not.toBeNull());
    await pickMenu('compose-tool-template', 'compose-template-option', 'Welcome');
    await waitFor(() => expect(editor().textContent).toBe('Dear customer, welcome.Best, the Sales team'));
    expect((screen.getByTestId('compose-subject') as HTMLInputElement).value).toBe('Welcome aboard');
  });

  it('asks "The email body will be overwritten" when there is text, and keeps a subject already typed', async () => {
    const api = withSignatures({
      templates: vi.fn(async () => [TEMPLATE]),
      openDraft: vi.fn(async () => ({
        id: 61,
        accountId: 1,
        mode: 'new' as const,
        replyToMessageId: null,
        from: 'me@gmail.example',
        to: [],
        cc: [],
        bcc: [],
        subject: 'My subject',
        html: '<p>Text I wrote</p><div class="email-manager-signature" data-signature-id="5"><p>-- M</p></div>',
        attachments: [],
      })),
    });
    await openCompose(api, { draftId: 61 });
    expect(signatureBlock()?.textContent).toBe('-- M');
    await pickMenu('compose-tool-template', 'compose-template-option', 'Welcome');
    expect(await screen.findByText('The email body will be overwritten')).toBeTruthy();
    expect(editor().textContent).toBe('Text I wrote-- M');
    fireEvent.click(screen.getByTestId('compose-template-overwrite-ok'));
    await waitFor(() => expect(editor().textContent).toBe('Dear customer, welcome.-- M'));
    expect((screen.getByTestId('compose-subject') as HTMLInputElement).value).toBe('My subject');
  });

  it('saves the mail as a template: subject and text, without the signature', async () => {
    const api = withSignatures({
      openDraft: vi.fn(async () => ({ id: 62, accountId: 1, mode: 'new' as const, replyToMessageId: null, from: 'me@gmail.example', to: [], cc: [], bcc: [], subject: 'Offer', html: '<p>Our offer</p><div class="email-manager-signature" data-signature-id="5"><p>-- M</p></div>', attachments: [] })),
    });
    await openCompose(api, { draftId: 62 });
    await pickMenu('compose-tool-template', 'compose-template-save');
    const name = await screen.findByTestId('compose-template-name');
    expect((name as HTMLInputElement).value).toBe('Offer');
    fireEvent.change(name, { target: { value: 'Offer v1' } });
    fireEvent.click(screen.getByTestId('compose-template-save-ok'));
    await waitFor(() => expect(api.saveTemplate).toHaveBeenCalledWith({ name: 'Offer v1', subject: 'Offer', html: '<p>Our offer</p>' }));
    expect(await screen.findByText('Template "Offer v1" saved')).toBeTruthy();
  });
});

describe('schedule send', () => {
  it('Schedule send → a quick choice schedules the mail with the time and the offset, and closes the window', async () => {
    const api = fakeComposeApi();
    await openCompose(api, { to: 'dan@x.test' });
    fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'Later' } });
    await pickMenu('compose-send-menu', 'compose-schedule');
    fireEvent.click(await screen.findByTestId('compose-schedule-tomorrow-morning'));
    await waitFor(() => expect(api.schedule).toHaveBeenCalled());
    const input = (api.schedule as any).mock.calls[0][0];
    expect(input).toMatchObject({ accountId: 1, to: [{ address: 'dan@x.test' }], subject: 'Later' });
    expect(input.sendAt).toMatch(/^\d{4}-\d\d-\d\dT08:00:00([+-]\d\d:\d\d|Z)$/);
    const tomorrow = new Date(Date.now() + 86_400_000);
    expect(new Date(input.sendAt).getDate()).toBe(tomorrow.getDate());
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(await screen.findByText(/^Scheduled to be sent at /)).toBeTruthy();
  });

  it('checks recipients before scheduling, as Send does', async () => {
    const api = fakeComposeApi();
    await openCompose(api);
    await pickMenu('compose-send-menu', 'compose-schedule');
    fireEvent.click(await screen.findByTestId('compose-schedule-monday-morning'));
    expect((await screen.findByTestId('compose-error')).textContent).toBe('Please add at least one recipient');
    expect(api.schedule).not.toHaveBeenCalled();
  });

  it('refuses a time less than a minute ahead in the picker', async () => {
    const api = fakeComposeApi();
    await openCompose(api, { to: 'dan@x.test' });
    await pickMenu('compose-send-menu', 'compose-schedule');
    fireEvent.click(await screen.findByTestId('compose-schedule-ok'));
    expect((await screen.findByTestId('compose-schedule-error')).textContent).toBe('Choose when to send');
    expect(api.schedule).not.toHaveBeenCalled();
  });

  it('a scheduled draft shows its time and "Cancel scheduled send" (confirmed) puts it back in Drafts', async () => {
    const at = '2031-03-04T09:30:00.000Z';
    const api = fakeComposeApi({
      openDraft: vi.fn(async () => ({ id: 70, accountId: 1, mode: 'new' as const, replyToMessageId: null, from: 'me@gmail.example', to: [{ address: 'dan@x.test' }], cc: [], bcc: [], subject: 'Waiting', html: '<p>Soon</p>', attachments: [] })),
      listScheduled: vi.fn(async () => [{ id: 70, accountId: 1, subject: 'Waiting', to: [{ address: 'dan@x.test' }], scheduledAt: at, scheduleStatus: 'scheduled' as const, scheduleError: null }]),
    });
    await openCompose(api, { draftId: 70 });
    const banner = await screen.findByTestId('compose-scheduled');
    const local = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(banner.textContent).toContain(`Scheduled to be sent at 2031-03-04 ${pad(local.getHours())}:${pad(local.getMinutes())}`);
    fireEvent.click(within(banner).getByTestId('compose-cancel-schedule'));
    fireEvent.click(await screen.findByTestId('compose-cancel-schedule-ok'));
    await waitFor(() => expect(api.cancelSchedule).toHaveBeenCalledWith(70));
    await waitFor(() => expect(screen.queryByTestId('compose-scheduled')).toBeNull());
    expect(await screen.findByText('Scheduled send canceled. The email is in Drafts.')).toBeTruthy();
    expect(screen.getByTestId('compose-window')).toBeTruthy();
  });
});

describe('bulk send', () => {
  const bulk = { source: { collection: 'customers', emailFieldNames: ['email'], filterByTk: [1, 2, 3] }, count: 3, fields: [{ name: 'name', title: 'Name' }, { name: 'email', title: 'Email' }] };

  it('shows the recipient count and "Bulk send"; variables go where the user writes; one job is created', async () => {
    const api = fakeComposeApi({
      bulkPreview: vi.fn(async () => ({ total: 3, valid: 2, invalid: 1, invalidExamples: [{ value: 'nope', reason: 'invalid' }], duplicates: 0, records: 3, limit: 2000 })),
      bulkCreate: vi.fn(async () => ({ id: 1 }) as any),
    });
    await openCompose(api, { bulk });
    expect(screen.queryByTestId('compose-to')).toBeNull();
    expect(screen.queryByTestId('compose-save-draft')).toBeNull();
    expect(screen.queryByTestId('compose-attach')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('compose-send').textContent).toBe('Bulk send (2)'));
    expect(screen.getByTestId('compose-bulk-recipients').textContent).toContain('2 recipients, one email each · 1 without a valid address');
    expect(api.bulkPreview).toHaveBeenCalledWith({ accountId: 1, source: bulk.source });

    const subject = screen.getByTestId('compose-subject') as HTMLInputElement;
    fireEvent.change(subject, { target: { value: 'Hello ' } });
    fireEvent.focus(subject);
    subject.setSelectionRange(6, 6);
    await pickMenu('compose-tool-variable', 'compose-variable-option', 'Name');
    await waitFor(() => expect(subject.value).toBe('Hello {{record.name}}'));

    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(api.bulkCreate).toHaveBeenCalledTimes(1));
    const input = (api.bulkCreate as any).mock.calls[0][0];
    expect(input).toMatchObject({ accountId: 1, from: 'me@gmail.example', subject: 'Hello {{record.name}}', source: bulk.source });
    expect(input.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(await screen.findByText('Bulk send started')).toBeTruthy();
    expect(api.send).not.toHaveBeenCalled();
  });

  it('a bulk send needs a subject', async () => {
    const api = fakeComposeApi();
    await openCompose(api, { bulk });
    fireEvent.click(screen.getByTestId('compose-send'));
    expect((await screen.findByTestId('compose-error')).textContent).toBe('Please enter a subject');
    expect(api.bulkCreate).not.toHaveBeenCalled();
  });
});

describe('address suggestions', () => {
  it('ask the server action mailMessages:addresses', async () => {
    const request = vi.fn(async () => ({ data: { data: [{ name: 'Alice', address: 'alice@x.test' }] } }));
    const api = composeApi({ request });
    expect(await api.suggestAddresses(' ali ')).toEqual([{ name: 'Alice', address: 'alice@x.test' }]);
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: 'mailMessages:addresses', method: 'get', params: { q: 'ali' } }));
    expect(await api.suggestAddresses('  ')).toEqual([]);
    expect(request).toHaveBeenCalledTimes(1);
  });
});

