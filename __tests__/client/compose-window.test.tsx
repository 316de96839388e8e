/** The compose window: writing and sending, reply/forward/auto-save, address autocomplete. */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/client/api';
import { onMailChanged } from '../../src/client/mail-center/mail-events';
import { fakeComposeApi } from './compose-fakes';
import { openCompose, renderOpener } from './compose-render';

afterEach(cleanup);
beforeEach(() => window.localStorage.clear());


/** Types into a recipient field's search box and commits it with Enter. */
function typeRecipient(field: string, text: string) {
  const input = within(screen.getByTestId(`compose-${field}`).closest('.emc-recipients') as HTMLElement).getByRole('combobox');
  fireEvent.change(input, { target: { value: text } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
}

function paste(field: string, text: string) {
  const input = within(screen.getByTestId(`compose-${field}`).closest('.emc-recipients') as HTMLElement).getByRole('combobox');
  fireEvent.paste(input, { clipboardData: { getData: () => text } });
}

const tokens = (field: string) => screen.queryAllByTestId(`compose-${field}-token`).map((t) => [t.textContent, t.getAttribute('data-valid')]);

describe('compose window', () => {
  it('splits a pasted list into tokens, merges duplicates ignoring case and flags invalid addresses', async () => {
    await openCompose(fakeComposeApi());
    paste('to', 'Dan Doe <dan@x.test>; eve@x.test\nnot-an-address, DAN@X.TEST');
    await waitFor(() => expect(tokens('to')).toEqual([
      ['Dan Doe', 'true'],
      ['eve@x.test', 'true'],
      ['not-an-address', 'false'],
    ]));
    expect(screen.getByTestId('compose-to-error').textContent).toBe('not-an-address is not a email format');
    typeRecipient('to', 'EVE@x.test');
    expect(tokens('to')).toHaveLength(3);
  });

  it('defaults From to the preferred account; the list has the aliases', async () => {
    await openCompose(fakeComposeApi(), { accountId: 2 });
    await waitFor(() => expect(screen.getByTestId('compose-from').textContent).toContain('Me at Outlook <me@outlook.example>'));
  });

  it('refuses files over 25 MB in total before uploading, showing each size', async () => {
    const api = fakeComposeApi();
    await openCompose(api);
    const big = new File(['x'], 'video.mp4', { type: 'video/mp4' });
    Object.defineProperty(big, 'size', { value: 26 * 1024 * 1024 });
    const ok = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    fireEvent.change(screen.getByTestId('compose-file-input'), { target: { files: [ok, big] } });
    const alert = await screen.findByTestId('compose-too-large');
    expect(alert.textContent).toContain('Attachments exceed 25 MB in total');
    expect(alert.textContent).toContain('video.mp4 (26 MB)');
    expect(api.upload).toHaveBeenCalledTimes(1);
    expect((api.upload as any).mock.calls[0][0].name).toBe('notes.txt');
    const chip = await screen.findByTestId('compose-attachment');
    expect(chip.textContent).toContain('notes.txt');
    expect(chip.textContent).toContain('5 B');
    fireEvent.click(within(chip).getByTestId('compose-attachment-remove'));
    await waitFor(() => expect(screen.queryByTestId('compose-attachment')).toBeNull());
    expect(api.deleteUpload).toHaveBeenCalledWith('upload-1');
  });

  it('a failed send keeps the window open with the server message; the retry uses the same idempotency key', async () => {
    const send = vi
      .fn()
      .mockRejectedValueOnce(new ApiError('The mail provider did not answer. The email was not sent; please try again.', { status: 503 }))
      .mockResolvedValueOnce({ id: 5, providerMessageId: 'p5', threadId: null });
    const api = fakeComposeApi({ send });
    const changed = vi.fn();
    const off = onMailChanged(changed);
    await openCompose(api, { to: 'dan@x.test' });
    fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'Numbers' } });
    fireEvent.change(screen.getByTestId('compose-file-input'), { target: { files: [new File(['pdf'], 'report.pdf', { type: 'application/pdf' })] } });
    await waitFor(() => expect(screen.getByTestId('compose-attachment').getAttribute('data-status')).toBe('done'));

    fireEvent.click(screen.getByTestId('compose-send'));
    const error = await screen.findByTestId('compose-error');
    expect(error.textContent).toContain('The mail provider did not answer. The email was not sent; please try again.');
    expect(screen.getByTestId('compose-window')).toBeTruthy();

    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(await screen.findByText('Email sent successfully')).toBeTruthy();
    const [first, second] = send.mock.calls.map((c) => c[0]);
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.idempotencyKey).toBe(first.idempotencyKey);
    expect(second).toMatchObject({ accountId: 1, from: 'me@gmail.example', to: [{ address: 'dan@x.test' }], subject: 'Numbers', attachmentIds: ['upload-1'] });
    expect(changed).toHaveBeenCalled();
    off();
    // Sending remembered the account for next time.
    expect(JSON.parse(window.localStorage.getItem('email-manager:compose:5')!)).toMatchObject({ lastAccountId: 1 });
  });

  it('checks recipients before sending', async () => {
    const api = fakeComposeApi();
    await openCompose(api);
    fireEvent.click(screen.getByTestId('compose-send'));
    expect((await screen.findByTestId('compose-error')).textContent).toBe('Please add at least one recipient');
    typeRecipient('to', 'oops');
    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(screen.getByTestId('compose-error').textContent).toBe('oops is not a email format'));
    expect(api.send).not.toHaveBeenCalled();
  });

  it('closing with unsaved changes (auto-save off) offers Save draft, Discard or Continue editing', async () => {
    const api = fakeComposeApi();
    await openCompose(api);
    fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'Half written' } });
    fireEvent.click(screen.getByTestId('compose-close'));
    fireEvent.click(await screen.findByTestId('compose-leave-continue'));
    expect(screen.getByTestId('compose-window')).toBeTruthy();
    fireEvent.click(screen.getByTestId('compose-close'));
    fireEvent.click(await screen.findByTestId('compose-leave-save'));
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(api.saveDraft).toHaveBeenCalledWith(expect.objectContaining({ subject: 'Half written', accountId: 1 }));
  });

  it('closing without changes asks nothing', async () => {
    const api = fakeComposeApi();
    await openCompose(api);
    fireEvent.click(screen.getByTestId('compose-close'));
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(api.saveDraft).not.toHaveBeenCalled();
  });

  it('saving again updates the same draft and names its files by their new attachment ids; Discard deletes draft and uploads', async () => {
    const api = fakeComposeApi();
    await openCompose(api, { to: 'hal@x.test' });
    fireEvent.change(screen.getByTestId('compose-file-input'), { target: { files: [new File(['plan'], 'plan.txt', { type: 'text/plain' })] } });
    await waitFor(() => expect(screen.getByTestId('compose-attachment').getAttribute('data-status')).toBe('done'));
    fireEvent.click(screen.getByTestId('compose-save-draft'));
    await waitFor(() => expect(screen.getByTestId('compose-status').textContent).toMatch(/^Draft saved at \d\d:\d\d$/));
    fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'v2' } });
    fireEvent.click(screen.getByTestId('compose-save-draft'));
    await waitFor(() => expect(api.saveDraft).toHaveBeenCalledTimes(2));
    const [first, second] = (api.saveDraft as any).mock.calls.map((c: any[]) => c[0]);
    expect(first.draftId).toBeUndefined();
    expect(first.attachmentIds).toEqual(['upload-1']);
    expect(second).toMatchObject({ draftId: 901, subject: 'v2', attachmentIds: [], forwardAttachmentIds: [600] });

    fireEvent.click(screen.getByTestId('compose-discard'));
    fireEvent.click(await screen.findByTestId('compose-discard-confirm'));
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
    expect(api.deleteDraft).toHaveBeenCalledWith(901);
    expect(api.deleteUpload).toHaveBeenCalledWith('upload-1');
  });
});

describe('compose window: reply, forward, auto-save', () => {
  it('reply all opens prefilled from the server: recipients, subject, the receiving alias, the quote below; sends in the thread', async () => {
    const api = fakeComposeApi();
    await openCompose(api, { mode: 'replyAll', replyToMessageId: 42, accountId: 2 });
    expect(api.replyDraft).toHaveBeenCalledWith(42, 'replyAll');
    expect(tokens('to')).toEqual([
      ['Alice Customer', 'true'],
      ['bob@customer.test', 'true'],
    ]);
    expect(tokens('cc')).toEqual([['carol@customer.test', 'true']]);
    expect((screen.getByTestId('compose-subject') as HTMLInputElement).value).toBe('Re: Order 42');
    // The alias that received the original, not the mail center's account (S-SEND-8).
    await waitFor(() => expect(screen.getByTestId('compose-from').textContent).toContain('Sales <sales@corp.example>'));
    expect(screen.getByTestId('compose-title').textContent).toBe('Re: Order 42');
    // The quote is below the editor, its inline image is not an attachment chip.
    expect(screen.getByTestId('compose-quote')).toBeTruthy();
    expect(screen.queryByTestId('compose-attachment')).toBeNull();
    fireEvent.click(screen.getByTestId('compose-quote-toggle'));
    await waitFor(() => expect(api.inlineImage).toHaveBeenCalledWith(42, 'stamp@customer.test'));

    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(api.send).toHaveBeenCalledTimes(1));
    const input = (api.send as any).mock.calls[0][0];
    expect(input).toMatchObject({
      accountId: 1,
      from: 'sales@corp.example',
      mode: 'replyAll',
      replyToMessageId: 42,
      cc: [{ address: 'carol@customer.test' }],
      forwardAttachmentIds: [{ id: 501, contentId: 'stamp@customer.test' }],
      attachmentIds: [],
    });
    expect(input.html).toContain('<div class="email-manager-quote">');
  });

  it("forward lists the original's files, removable; a removed quote takes its images along", async () => {
    const api = fakeComposeApi({
      replyDraft: vi.fn(async () => ({
        ...(await fakeComposeApi().replyDraft(42, 'forward')),
        mode: 'forward' as const,
        to: [],
        cc: [],
        subject: 'Fwd: Order 42',
        attachments: [
          { id: 501, messageId: 42, filename: 'stamp.png', mimeType: 'image/png', size: 68, contentId: 'stamp@customer.test', inline: true },
          { id: 502, messageId: 42, filename: 'invoice.pdf', mimeType: 'application/pdf', size: 2048, contentId: null, inline: false },
          { id: 503, messageId: 42, filename: 'terms.pdf', mimeType: 'application/pdf', size: 1024, contentId: null, inline: false },
        ],
      })),
    });
    await openCompose(api, { mode: 'forward', replyToMessageId: 42 });
    expect(tokens('to')).toEqual([]);
    const chips = () => screen.queryAllByTestId('compose-attachment').map((c) => c.textContent);
    expect(chips()).toEqual(['invoice.pdf2 KB', 'terms.pdf1 KB']);
    fireEvent.click(within(screen.getAllByTestId('compose-attachment')[1]).getByTestId('compose-attachment-remove'));
    fireEvent.click(screen.getByTestId('compose-quote-remove'));
    typeRecipient('to', 'zoe@partner.test');
    fireEvent.click(screen.getByTestId('compose-send'));
    await waitFor(() => expect(api.send).toHaveBeenCalledTimes(1));
    const input = (api.send as any).mock.calls[0][0];
    expect(input).toMatchObject({ mode: 'forward', to: [{ address: 'zoe@partner.test' }], forwardAttachmentIds: [502], html: '' });
  });

  it('with auto-save on, saves 3 s after a change and shows "Auto saved at HH:mm"; the next save updates the same draft', async () => {
    const api = fakeComposeApi({ settings: vi.fn(async () => ({ autoSave: true })) });
    await openCompose(api, { to: 'hal@x.test' });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'Plan' } });
      await act(() => vi.advanceTimersByTimeAsync(2500));
      expect(api.saveDraft).not.toHaveBeenCalled();
      await act(() => vi.advanceTimersByTimeAsync(600));
      expect(api.saveDraft).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(screen.getByTestId('compose-status').textContent).toMatch(/^Auto saved at \d\d:\d\d$/));
      // Nothing changed since: no further save.
      await act(() => vi.advanceTimersByTimeAsync(40_000));
      expect(api.saveDraft).toHaveBeenCalledTimes(1);
      fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'Plan B' } });
      await act(() => vi.advanceTimersByTimeAsync(3100));
      expect(api.saveDraft).toHaveBeenCalledTimes(2);
      expect((api.saveDraft as any).mock.calls[1][0]).toMatchObject({ draftId: 901, subject: 'Plan B' });
    } finally {
      vi.useRealTimers();
    }
    // Closing after an auto-save asks nothing.
    fireEvent.click(screen.getByTestId('compose-close'));
    await waitFor(() => expect(screen.queryByTestId('compose-window')).toBeNull());
  });

  it("the switch shows the user's server setting (off by default) and stores a change there", async () => {
    const api = fakeComposeApi();
    await openCompose(api);
    fireEvent.click(screen.getByTestId('compose-save-menu'));
    const item = await screen.findByTestId('compose-autosave');
    expect(within(item).getByRole('switch').getAttribute('aria-checked')).toBe('false');
    fireEvent.click(item);
    await waitFor(() => expect(api.setSettings).toHaveBeenCalledWith({ autoSave: true }));
    // The menu stays open and shows the new state.
    await waitFor(() => expect(within(screen.getByTestId('compose-autosave')).getByRole('switch').getAttribute('aria-checked')).toBe('true'));
  });

  it('S-DRAFT-3: with auto-save on, an earlier draft for the same sender, recipients and original is offered; Use continues it', async () => {
    const api = fakeComposeApi({
      settings: vi.fn(async () => ({ autoSave: true })),
      findDraft: vi.fn(async () => ({ draftId: 55 })),
      openDraft: vi.fn(async (id: number) => ({
        id,
        accountId: 1,
        mode: 'replyAll' as const,
        replyToMessageId: 42,
        from: 'sales@corp.example',
        to: [{ address: 'alice@customer.test' }],
        cc: [{ address: 'dave@customer.test' }],
        bcc: [],
        subject: 'Re: Order 42',
        html: '<p>Half an answer</p><div class="email-manager-quote"><blockquote>Where is my order?</blockquote></div>',
        attachments: [],
      })),
    });
    renderOpener(api, { mode: 'replyAll', replyToMessageId: 42 });
    const prompt = await screen.findByTestId('compose-draft-found');
    expect(prompt.textContent).toContain('A draft email exists for the current recipient, do you want to use it?');
    expect(api.findDraft).toHaveBeenCalledWith({
      accountId: 1,
      from: 'sales@corp.example',
      to: ['alice@customer.test', 'bob@customer.test'],
      mode: 'replyAll',
      replyToMessageId: 42,
    });
    fireEvent.click(screen.getByTestId('compose-draft-use'));
    await screen.findByTestId('compose-editor');
    expect(api.openDraft).toHaveBeenCalledWith(55);
    expect(screen.getByTestId('compose-editor').textContent).toBe('Half an answer');
    expect(tokens('cc')).toEqual([['dave@customer.test', 'true']]);
    fireEvent.click(screen.getByTestId('compose-save-draft'));
    await waitFor(() => expect(api.saveDraft).toHaveBeenCalledWith(expect.objectContaining({ draftId: 55, mode: 'replyAll', replyToMessageId: 42 })));
  });

  it('S-DRAFT-3: Ignore starts a new mail; no lookup with auto-save off or for a draft opened directly', async () => {
    const api = fakeComposeApi({ settings: vi.fn(async () => ({ autoSave: true })), findDraft: vi.fn(async () => ({ draftId: 55 })) });
    renderOpener(api, { to: 'hal@x.test' });
    fireEvent.click(await screen.findByTestId('compose-draft-ignore'));
    await screen.findByTestId('compose-editor');
    expect(api.openDraft).not.toHaveBeenCalled();
    expect(tokens('to')).toEqual([['hal@x.test', 'true']]);
    cleanup();

    const off = fakeComposeApi({ findDraft: vi.fn(async () => ({ draftId: 55 })) });
    await openCompose(off, { to: 'hal@x.test' });
    expect(off.findDraft).not.toHaveBeenCalled();
  });

  it('reports auto-save failures only after the third in a row', async () => {
    const api = fakeComposeApi({ settings: vi.fn(async () => ({ autoSave: true })), saveDraft: vi.fn(async () => Promise.reject(new Error('Gmail is down'))) });
    await openCompose(api, { to: 'hal@x.test' });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      fireEvent.change(screen.getByTestId('compose-subject'), { target: { value: 'x' } });
      await act(() => vi.advanceTimersByTimeAsync(3100));
      await act(() => vi.advanceTimersByTimeAsync(5100));
      expect(api.saveDraft).toHaveBeenCalledTimes(2);
      expect(screen.queryByTestId('compose-autosave-error')).toBeNull();
      await act(() => vi.advanceTimersByTimeAsync(5100));
      expect(api.saveDraft).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
    expect((await screen.findByTestId('compose-autosave-error')).textContent).toContain('Auto-save failed: Gmail is down');
  });
});

describe('compose window: address autocomplete', () => {
  it('suggests addresses from the user\'s mail after a pause in typing; picking one adds the token', async () => {
    const api = fakeComposeApi({ suggestAddresses: vi.fn(async () => [{ name: 'Alice Customer', address: 'alice@customer.test' }]) });
    await openCompose(api);
    const input = within(screen.getByTestId('compose-to').closest('.emc-recipients') as HTMLElement).getByRole('combobox');
    fireEvent.change(input, { target: { value: 'ali' } });
    await waitFor(() => expect(api.suggestAddresses).toHaveBeenCalledWith('ali'));
    const shown = await screen.findAllByText('Alice Customer <alice@customer.test>');
    fireEvent.click(shown.find((e) => e.closest('.ant-select-item-option'))!);
    await waitFor(() => expect(tokens('to')).toEqual([['Alice Customer', 'true']]));
  });
});
