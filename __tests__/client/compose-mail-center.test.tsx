import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComposeApi } from '../../src/client/compose/compose-api';
import { ComposeProvider } from '../../src/client/compose/ComposeProvider';
import { MailCenter } from '../../src/client/mail-center/MailCenter';
import type { MailApi } from '../../src/client/mail-center/mail-api';
import type { MailView } from '../../src/client/mail-center/types';
import type { ThreadRow } from '../../src/shared/mail-center-api';
import { accounts, fakeComposeApi } from './compose-fakes';
import { fakeAccountsApi, fakeMailApi, row, threadView } from './mail-center-fakes';

vi.mock('../../src/client/mail-center/save-file', () => ({ saveFile: vi.fn() }));

afterEach(cleanup);
beforeEach(() => window.localStorage.clear());

async function renderCenter(rows: ThreadRow[], compose: ComposeApi, view: MailView = { box: 'inbox' }, over: Partial<MailApi> = {}) {
  const mail = fakeMailApi(rows, over);
  render(
    <App>
      <ComposeProvider api={compose} accountsApi={{ list: vi.fn(async () => accounts) }}>
        <MailCenter api={mail} accountsApi={fakeAccountsApi(accounts)} initialView={view} />
      </ComposeProvider>
    </App>,
  );
  await screen.findByTestId(`thread-row-${rows[0].id}`);
  return mail;
}

/** The mail center's ways into the editor (S-SEND-1, S-DRAFT-1). */
describe('mail center → compose', () => {
  it('"Send email" opens a new mail from the account selected on the left', async () => {
    await renderCenter([row({ id: 11 })], fakeComposeApi(), { box: 'inbox', accountId: 2 });
    fireEvent.click(screen.getByTestId('mail-action-compose'));
    await screen.findByTestId('compose-editor');
    expect(screen.getByTestId('compose-title').textContent).toBe('New message');
    await waitFor(() => expect(screen.getByTestId('compose-from').textContent).toContain('me@outlook.example'));
  });

  it('Reply, Reply all and Forward under an expanded mail open the editor prefilled for it', async () => {
    const compose = fakeComposeApi();
    await renderCenter([row({ id: 11 })], compose);
    fireEvent.click(screen.getByTestId('thread-row-11'));
    fireEvent.click(await screen.findByTestId('mail-reply-all-11'));
    await screen.findByTestId('compose-editor');
    expect(compose.replyDraft).toHaveBeenCalledWith(11, 'replyAll');
    expect(screen.getByTestId('mail-reply-11')).toBeTruthy();
    expect(screen.getByTestId('mail-forward-11')).toBeTruthy();
  });

  it('a draft in Drafts opens in the editor; saving it refreshes the list', async () => {
    const compose = fakeComposeApi({
      openDraft: vi.fn(async (id: number) => ({
        id,
        accountId: 1,
        mode: 'new' as const,
        replyToMessageId: null,
        from: 'me@gmail.example',
        to: [{ address: 'hal@x.test' }],
        cc: [],
        bcc: [],
        subject: 'Plan',
        html: '<p>The plan</p>',
        attachments: [{ id: 70, messageId: id, filename: 'plan.txt', mimeType: 'text/plain', size: 8, contentId: null, inline: false }],
      })),
    });
    const mail = await renderCenter([row({ id: 31, draft: true, box: 'drafts', subject: 'Plan' })], compose, { box: 'drafts' });
    fireEvent.click(screen.getByTestId('thread-row-31'));
    await screen.findByTestId('compose-editor');
    expect(compose.openDraft).toHaveBeenCalledWith(31);
    expect(mail.thread).not.toHaveBeenCalled();
    expect((screen.getByTestId('compose-subject') as HTMLInputElement).value).toBe('Plan');
    expect(screen.getByTestId('compose-editor').textContent).toBe('The plan');
    expect(screen.getByTestId('compose-attachment').textContent).toContain('plan.txt');
    const listCalls = (mail.threads as any).mock.calls.length;
    fireEvent.click(screen.getByTestId('compose-save-draft'));
    await waitFor(() => expect(compose.saveDraft).toHaveBeenCalledWith(expect.objectContaining({ draftId: 31, forwardAttachmentIds: [70] })));
    await waitFor(() => expect((mail.threads as any).mock.calls.length).toBeGreaterThan(listCalls));
  });

  it('a draft reply inside a conversation opens the conversation, where the draft offers "Edit draft"', async () => {
    const compose = fakeComposeApi({ openDraft: vi.fn(async () => Promise.reject(new Error('gone'))) });
    const thread = threadView(41);
    thread.messages.push({ ...thread.messages[0], id: 42, draft: true, box: 'drafts' });
    await renderCenter([row({ id: 42, draft: true, messageCount: 2 })], compose, { box: 'inbox' }, { thread: vi.fn(async () => thread) });
    fireEvent.click(screen.getByTestId('thread-row-42'));
    fireEvent.click(await screen.findByTestId('mail-edit-draft-42'));
    await waitFor(() => expect(compose.openDraft).toHaveBeenCalledWith(42));
    // Opening failed: the window says so and offers to try again.
    expect((await screen.findByTestId('compose-load-error')).textContent).toContain('gone');
  });
});
