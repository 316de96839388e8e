import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BlockApi } from '../../src/client/blocks/email-table/block-api';
import { dataScopeToFilter, isVariable } from '../../src/client/blocks/email-table/data-scope';
import { visibleButtons } from '../../src/client/blocks/email-table/EmailDetails';
import { EmailTableView } from '../../src/client/blocks/email-table/EmailTableView';
import { DETAIL_BUTTONS, normalizeColumns } from '../../src/client/blocks/email-table/fields';
import type { BlockMessage, BlockRow } from '../../src/shared/block-api';
import { fakeAccountsApi, fakeMailApi } from './mail-center-fakes';

// file-saver is supplied by the NocoBase app at run time, not installed for tests.
vi.mock('../../src/client/mail-center/save-file', () => ({ saveFile: vi.fn() }));

const blockRow = (id: number, over: Partial<BlockRow> = {}): BlockRow => ({
  id,
  threadId: `t${id}`,
  accountId: 1,
  account: 'me@gmail.example',
  subject: `Subject ${id}`,
  from: [{ name: 'Ann Lee', address: 'ann@acme.example' }],
  to: [{ address: 'me@gmail.example' }],
  cc: [],
  bcc: [],
  date: '2026-01-05T09:30:00.000Z',
  content: `Snippet ${id}`,
  box: 'inbox',
  read: false,
  draft: false,
  labels: [],
  hasAttachments: false,
  attachments: [],
  repliedMessage: null,
  readOnly: false,
  ...over,
});

const message = (row: BlockRow, over: Partial<BlockMessage> = {}): BlockMessage => ({
  ...row,
  replyTo: [],
  starred: false,
  html: null,
  text: `Body of ${row.subject}`,
  allAttachments: [],
  ...over,
});

function fakeBlockApi(rows: BlockRow[], count = rows.length) {
  const api: BlockApi = {
    list: vi.fn(async (query) => ({
      rows,
      meta: { count, page: query.page || 1, pageSize: query.pageSize || 20, totalPage: Math.ceil(count / (query.pageSize || 20)), scope: query.scope || 'mine' },
    })),
    get: vi.fn(async (id: number) => message(rows.find((r) => r.id === id)!)),
  };
  return api;
}

function renderTable(api: BlockApi, over: Partial<React.ComponentProps<typeof EmailTableView>> = {}) {
  const mail = fakeMailApi([]);
  const openCompose = vi.fn();
  render(
    <App>
      <EmailTableView
        api={api}
        mail={mail}
        accounts={fakeAccountsApi()}
        scope="mine"
        filter={{ participants: { $in: 'ann@acme.example' } }}
        pageSize={20}
        columns={['subject', 'from', 'date', 'read']}
        clickToOpen
        detailButtons={[...DETAIL_BUTTONS]}
        openCompose={openCompose}
        {...over}
      />
    </App>,
  );
  return { mail, openCompose };
}

describe('Email table: data scope → block-api filter (S-BLOCK-3/4)', () => {
  it('one condition stands alone; several are joined by the chosen logic; operators default to $in', () => {
    expect(dataScopeToFilter({ conditions: [{ field: 'from', value: 'a@x.com' }] })).toEqual({ from: { $in: 'a@x.com' } });
    expect(
      dataScopeToFilter({ logic: '$or', conditions: [{ field: 'to', value: 'a@x.com' }, { field: 'domain', operator: '$in', value: ['acme.com'] }] }),
    ).toEqual({ $or: [{ to: { $in: 'a@x.com' } }, { domain: { $in: ['acme.com'] } }] });
    expect(dataScopeToFilter({ conditions: [{ field: 'cc', value: 'a' }, { field: 'bcc', operator: '$notIn', value: 'b' }] })).toEqual({
      $and: [{ cc: { $in: 'a' } }, { bcc: { $notIn: 'b' } }],
    });
  });

  it('no conditions is every mail of the scope; an unresolved variable stays an empty value (the server matches nothing)', () => {
    expect(dataScopeToFilter(undefined)).toEqual({});
    expect(dataScopeToFilter({ conditions: [] })).toEqual({});
    expect(dataScopeToFilter({ conditions: [{ field: 'participants', value: undefined }] })).toEqual({ participants: { $in: null } });
    expect(dataScopeToFilter({ conditions: [{ field: 'participants', value: { id: 1 } }] })).toEqual({ participants: { $in: null } });
  });

  it('drops unknown fields and operators rather than sending them', () => {
    expect(dataScopeToFilter({ conditions: [{ field: 'secret' as any, value: 'x' }] })).toEqual({});
    expect(dataScopeToFilter({ conditions: [{ field: 'from', operator: '$where' as any, value: 'x' }] })).toEqual({ from: { $in: 'x' } });
  });

  it('recognises a variable template', () => {
    expect(isVariable('{{ctx.popup.record.email}}')).toBe(true);
    expect(isVariable('{{$nPopupRecord.email}}')).toBe(true);
    expect(isVariable('ann@acme.example')).toBe(false);
  });

  it('keeps known columns in the chosen order', () => {
    expect(normalizeColumns(['date', 'subject', 'nope', 'date'])).toEqual(['date', 'subject']);
    expect(normalizeColumns([])).toEqual(['subject', 'from', 'to', 'date', 'read']);
  });
});

describe('Email table view (S-BLOCK-1)', () => {
  afterEach(cleanup);

  it('asks the server for the scope, filter and page, and shows the chosen columns', async () => {
    const api = fakeBlockApi([blockRow(1), blockRow(2, { read: true })], 45);
    renderTable(api);
    await screen.findByText('Subject 1');
    expect(api.list).toHaveBeenCalledWith({ scope: 'mine', filter: { participants: { $in: 'ann@acme.example' } }, page: 1, pageSize: 20, sort: '-date' });
    const headers = [...document.querySelectorAll('th')].map((th) => th.textContent).filter(Boolean);
    expect(headers).toEqual(['Subject', 'From', 'Date', 'Read']);
    expect(screen.getByText('Total 45 items')).toBeTruthy();
  });

  it('pages and sorts on the server', async () => {
    const api = fakeBlockApi([blockRow(1)], 45);
    renderTable(api);
    await screen.findByText('Subject 1');
    fireEvent.click(document.querySelector('.ant-pagination-item-2')!);
    await waitFor(() => expect(api.list).toHaveBeenLastCalledWith(expect.objectContaining({ page: 2 })));
    fireEvent.click(screen.getByText('Subject', { selector: 'th *' }));
    await waitFor(() => expect(api.list).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'subject', page: 1 })));
  });

  it('shows the next page while mail keeps changing in other tabs and the server answers slowly', async () => {
    // Each list takes 300 ms; a remote change arrives every 100 ms. Dropping every answer but the
    // latest request's would never show page 2; answering each refresh would pile up requests.
    let remote: (() => void) | undefined;
    const subscribeRemote = (listener: () => void) => {
      remote = listener;
      return () => (remote = undefined);
    };
    const api: BlockApi = {
      list: vi.fn(
        (query) =>
          new Promise((resolve) =>
            setTimeout(
              () => resolve({ rows: [blockRow((query.page ?? 1) * 100)], meta: { count: 45, page: query.page ?? 1, pageSize: 20, totalPage: 3, scope: 'mine' } }),
              300,
            ),
          ),
      ),
      get: vi.fn(),
    };
    renderTable(api, { subscribeRemote });
    await screen.findByText('Subject 100');
    const ticker = setInterval(() => remote?.(), 100);
    try {
      fireEvent.click(document.querySelector('.ant-pagination-item-2')!);
      await screen.findByText('Subject 200', undefined, { timeout: 3_000 });
      const calls = (api.list as any).mock.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // 15 remote changes in 1.5 s: at most one request in flight, one more queued behind it.
      expect((api.list as any).mock.calls.length - calls).toBeLessThanOrEqual(6);
      expect(screen.getByText('Subject 200')).toBeTruthy();
      expect(document.querySelector('.ant-spin-spinning')).toBeNull();
    } finally {
      clearInterval(ticker);
    }
  });

  it('marks the selected own mail read; another user’s mail cannot be selected', async () => {
    const api = fakeBlockApi([blockRow(1), blockRow(2, { readOnly: true })]);
    const { mail } = renderTable(api);
    await screen.findByText('Subject 1');
    const boxes = document.querySelectorAll<HTMLInputElement>('tbody input[type=checkbox]');
    expect(boxes[1].disabled).toBe(true);
    fireEvent.click(boxes[0]);
    fireEvent.click(screen.getByTestId('email-table-mark-read'));
    await waitFor(() => expect(mail.setRead).toHaveBeenCalledWith({ ids: [1], scope: 'message', read: true }));
  });

  it('Send email opens the editor; clicking a subject opens the details, which read the mail and reply', async () => {
    const api = fakeBlockApi([blockRow(7)]);
    const { mail, openCompose } = renderTable(api);
    await screen.findByText('Subject 7');
    fireEvent.click(screen.getByTestId('email-table-send'));
    expect(openCompose).toHaveBeenCalledWith({});
    fireEvent.click(screen.getByText('Subject 7'));
    await screen.findByText('Body of Subject 7');
    expect(api.get).toHaveBeenCalledWith(7);
    await waitFor(() => expect(mail.setRead).toHaveBeenCalledWith({ ids: [7], scope: 'message', read: true }));
    await act(async () => fireEvent.click(screen.getByTestId('email-details-replyAll')));
    expect(openCompose).toHaveBeenLastCalledWith({ mode: 'replyAll', replyToMessageId: 7 });
  });

  it('a draft opens in the editor instead of the details', async () => {
    const api = fakeBlockApi([blockRow(9, { draft: true })]);
    const { openCompose } = renderTable(api);
    fireEvent.click(await screen.findByText('Subject 9'));
    expect(openCompose).toHaveBeenCalledWith({ draftId: 9 });
    expect(api.get).not.toHaveBeenCalled();
  });

  it('Account settings opens the mail center\'s accounts dialog', async () => {
    const api = fakeBlockApi([blockRow(4)]);
    renderTable(api);
    await screen.findByText('Subject 4');
    fireEvent.click(screen.getByTestId('email-table-account-settings'));
    expect(await screen.findByTestId('mail-settings')).toBeTruthy();
    expect(await screen.findByText('me@gmail.example')).toBeTruthy();
  });

  it('without "Enable click to open" the subject is plain text', async () => {
    const api = fakeBlockApi([blockRow(3)]);
    renderTable(api, { clickToOpen: false });
    const subject = await screen.findByText('Subject 3');
    expect(subject.tagName).toBe('SPAN');
  });
});

describe('Email details buttons (S-BLOCK-5, S-ACL-5)', () => {
  it('shows the configured buttons in a fixed order', () => {
    expect(visibleButtons(['trash', 'reply'], { readOnly: false, draft: false }, true)).toEqual(['reply', 'trash']);
  });
  it('shows no mutating button on another user’s mail', () => {
    expect(visibleButtons([...DETAIL_BUTTONS], { readOnly: true, draft: false }, true)).toEqual([]);
  });
  it('hides reply and forward without the editor', () => {
    expect(visibleButtons([...DETAIL_BUTTONS], { readOnly: false, draft: false }, false)).toEqual(['markUnread', 'archive', 'trash']);
  });
});
