/** The mail center's Reader: a conversation shown in sandboxed frames, and its errors. */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countElements, MAX_RENDERED_ELEMENTS } from '../../src/client/mail-center/html-prep';
import { Reader } from '../../src/client/mail-center/Reader';
import type { MailApi } from '../../src/client/mail-center/mail-api';
import type { MessageView, ThreadView } from '../../src/shared/mail-center-api';
import { account, fakeMailApi, threadView } from './mail-center-fakes';

vi.mock('../../src/client/mail-center/save-file', () => ({ saveFile: vi.fn() }));

afterEach(cleanup);

/**
 * jsdom does not load `srcdoc`: the frame's shell is written into its document and `load` is
 * fired, as a browser does; the mail is then read from the frame's own document.
 */
function loadFrame(frame: HTMLIFrameElement): Document {
  const doc = frame.contentDocument!;
  doc.open();
  doc.write(frame.getAttribute('srcdoc')!);
  doc.close();
  fireEvent.load(frame);
  return doc;
}

const message = (id: number, over: Partial<MessageView> = {}): MessageView => ({ ...threadView(id).messages[0], ...over });

function renderReader(thread: ThreadView, over: Partial<MailApi> = {}) {
  const api = fakeMailApi([], { thread: vi.fn(async () => thread), ...over });
  const onChanged = vi.fn();
  const onBack = vi.fn();
  render(
    <App>
      <Reader
        api={api}
        rowId={thread.messages[thread.messages.length - 1].id}
        accounts={[account()]}
        labels={[
          { id: 1, name: 'Customers', color: 'magenta' },
          { id: 2, name: 'Invoices', color: 'blue' },
        ]}
        onBack={onBack}
        onChanged={onChanged}
        onLabelsChanged={vi.fn()}
      />
    </App>,
  );
  return { api, onChanged, onBack };
}

describe('Reader', () => {
  it('lists the mails oldest first with only the newest expanded; a click expands another', async () => {
    const thread = threadView(3, { messages: [message(1, { text: 'first body', read: true }), message(2, { text: 'second body', read: true }), message(3, { text: 'third body', read: true })] });
    const { api } = renderReader(thread);
    await screen.findByTestId('mail-message-3');
    const ids = [...document.querySelectorAll('[data-testid^="mail-message-"][data-expanded]')].map((e) => e.getAttribute('data-testid'));
    expect(ids).toEqual(['mail-message-1', 'mail-message-2', 'mail-message-3']);
    expect(screen.getByTestId('mail-message-3').getAttribute('data-expanded')).toBe('true');
    expect(screen.getByTestId('mail-message-1').getAttribute('data-expanded')).toBe('false');
    expect(screen.queryByText('first body')).toBeNull();
    fireEvent.click(within(screen.getByTestId('mail-message-1')).getByRole('button', { expanded: false }));
    expect(screen.getByText('first body')).toBeTruthy();
    // Everything was read already: nothing to mark.
    expect(api.setRead).not.toHaveBeenCalled();
  });

  it('renders HTML in a sandbox without scripts or same-origin, remote images behind "Show images"', async () => {
    const html = '<p>Hello</p><img src="https://track.example/p.gif"><script>alert(1)</script>';
    renderReader(threadView(5, { messages: [message(5, { html, text: null })] }));
    const frame = (await screen.findByTestId('mail-body-frame')) as HTMLIFrameElement;
    // Same origin so the reader can copy nodes in and measure; never scripts.
    expect(frame.getAttribute('sandbox')).toBe('allow-same-origin allow-popups allow-popups-to-escape-sandbox');
    // The shell is static: no mail text in the attribute, only in the frame's own document.
    expect(frame.getAttribute('srcdoc')).not.toContain('Hello');
    const doc = loadFrame(frame);
    await waitFor(() => expect(doc.body.textContent).toContain('Hello'));
    expect(doc.documentElement.outerHTML).not.toContain('<script');
    expect(doc.documentElement.outerHTML).not.toContain('track.example');
    // Nothing of the mail is in the app's own document.
    expect(document.body.innerHTML).not.toContain('Hello');
    fireEvent.click(screen.getByTestId('mail-show-images-button'));
    await waitFor(() => expect(screen.getByTestId('mail-body-frame').getAttribute('srcdoc')).toContain('mail-remote'));
    const remote = loadFrame(screen.getByTestId('mail-body-frame') as HTMLIFrameElement);
    await waitFor(() => expect(remote.querySelector('img')?.getAttribute('src')).toBe('https://track.example/p.gif'));
    expect(screen.queryByTestId('mail-show-images')).toBeNull();
  });

  it('asks before laying out a mail of more elements than the reader shows at once', async () => {
    const html = '<p>x</p>'.repeat(MAX_RENDERED_ELEMENTS + 1);
    renderReader(threadView(9, { messages: [message(9, { html, text: null })] }));
    await screen.findByTestId('mail-too-large');
    expect(screen.queryByTestId('mail-body-frame')).toBeNull();
    fireEvent.click(screen.getByTestId('mail-show-large'));
    await screen.findByTestId('mail-body-frame');
    // Start tags, and the end tags that make an element when stray (an upper bound: all of them).
    expect(countElements('<p>a</p><br/>< b <<1 <i></b></P ></br></brx>')).toBe(6);
  });

  it('fetches cid: images through the API and lists only the other attachments', async () => {
    const attachments = [
      { id: 40, messageId: 6, filename: 'logo.png', mimeType: 'image/png', size: 2048, contentId: '<Logo@X>', inline: true },
      { id: 41, messageId: 6, filename: 'report.pdf', mimeType: 'application/pdf', size: 3 * 1048576, contentId: null, inline: false },
    ];
    const { api } = renderReader(threadView(6, { messages: [message(6, { html: '<img src="cid:logo@x">', text: null, hasAttachments: true, attachments })] }));
    const frame = (await screen.findByTestId('mail-body-frame')) as HTMLIFrameElement;
    expect(api.inlineImage).toHaveBeenCalledWith(6, 'logo@x');
    const doc = loadFrame(frame);
    await waitFor(() => expect(doc.querySelector('img')?.getAttribute('src')).toContain('data:image/png;base64,'));
    expect(screen.queryByTestId('mail-attachment-40')).toBeNull();
    const pdf = screen.getByTestId('mail-attachment-41');
    expect(pdf.textContent).toContain('report.pdf');
    expect(pdf.textContent).toContain('3 MB');
    expect(within(pdf).getByTestId('attachment-preview')).toBeTruthy();
  });

  it('marks an unread own thread read on open, but never a read-only one', async () => {
    const { api, onChanged } = renderReader(threadView(7));
    await waitFor(() => expect(api.setRead).toHaveBeenCalledWith({ ids: [7], scope: 'thread', read: true }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    cleanup();
    const readOnly = renderReader(threadView(8, { editable: false }));
    await screen.findByTestId('mail-message-8');
    expect(readOnly.api.setRead).not.toHaveBeenCalled();
    expect(screen.queryByTestId('mail-todo')).toBeNull();
  });

  it('ticks labels, creates a label that comes ticked, saves notes and toggles To-Do', async () => {
    const { api } = renderReader(threadView(9, { labels: [{ id: 1, name: 'Customers', color: 'magenta' }] }));
    await screen.findByTestId('mail-reader-side');
    // antd puts the test id on the checkbox input itself.
    const customers = screen.getByTestId('mail-reader-label-1') as HTMLInputElement;
    expect(customers.checked).toBe(true);
    fireEvent.click(screen.getByTestId('mail-reader-label-2'));
    await waitFor(() => expect(api.setLabels).toHaveBeenCalledWith({ ids: [9], scope: 'thread', add: [2] }));

    fireEvent.click(screen.getByTestId('mail-reader-create-label'));
    fireEvent.change(screen.getByTestId('mail-reader-new-label-name'), { target: { value: 'Urgent' } });
    fireEvent.click(screen.getByTestId('label-color-red'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('mail-reader-new-label-submit'));
    });
    await waitFor(() => expect(api.saveLabel).toHaveBeenCalledWith({ name: 'Urgent', color: 'red' }));
    await waitFor(() => expect(api.setLabels).toHaveBeenCalledWith({ ids: [9], scope: 'thread', add: [99] }));

    fireEvent.click(screen.getByTestId('mail-note-add'));
    fireEvent.change(screen.getByTestId('mail-note-input'), { target: { value: 'Call back on Monday' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('mail-note-save'));
    });
    expect(api.saveNote).toHaveBeenCalledWith({ messageId: 9, note: 'Call back on Monday' });

    expect(screen.getByTestId('mail-todo').textContent).toContain('Mark as To-Do');
    await act(async () => {
      fireEvent.click(screen.getByTestId('mail-todo'));
    });
    expect(api.saveNote).toHaveBeenCalledWith({ messageId: 9, todo: true });
  });

  it('says that a mail scheduled in Gmail can only be changed there', async () => {
    renderReader(threadView(5, { messages: [message(5, { box: 'scheduled', draft: false })] }));
    expect((await screen.findByTestId('mail-provider-scheduled-5')).textContent).toContain('It can only be changed or cancelled in Gmail.');
  });

  it('says so when the mail no longer exists', async () => {
    const { ApiError } = await import('../../src/client/api');
    renderReader(threadView(10), { thread: vi.fn(async () => Promise.reject(new ApiError('Not found', { status: 404 }))) });
    expect(await screen.findByText('This email no longer exists')).toBeTruthy();
  });
});
