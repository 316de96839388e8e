import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncBanners } from '../../src/client/mail-center/SyncBanners';
import { ThreadList, ThreadListProps } from '../../src/client/mail-center/ThreadList';
import { account, row } from './mail-center-fakes';

afterEach(cleanup);

function renderList(props: Partial<ThreadListProps> = {}) {
  const handlers = { onToggleSelect: vi.fn(), onOpen: vi.fn(), onStar: vi.fn() };
  render(
    <App>
      <ThreadList rows={[]} loading={false} view={{ box: 'inbox' }} emptyText="No mail in Inbox" selected={new Set()} cursor={0} {...handlers} {...props} />
    </App>,
  );
  return handlers;
}

describe('ThreadList', () => {
  it('shows unread rows bold, "(no subject)", the message count, labels, to-do and attachment marks', () => {
    renderList({
      rows: [
        row({ id: 1, unread: true, messageCount: 3, labels: [{ id: 7, name: 'Customers', color: 'magenta' }], todo: true, hasAttachments: true }),
        row({ id: 2, subject: '', correspondents: [{ address: 'bob@y.example' }] }),
      ],
    });
    const unread = screen.getByTestId('thread-row-1');
    expect(unread.getAttribute('data-unread')).toBe('true');
    expect(unread.className).toContain('emc-unread');
    expect(within(unread).getByTestId('thread-count').textContent).toBe('3');
    const tag = within(unread).getByTestId('thread-label-7');
    expect(tag.textContent).toBe('Customers');
    expect(tag.className).toContain('magenta');
    expect(within(unread).getByTestId('thread-todo')).toBeTruthy();
    expect(within(unread).getByTestId('thread-attachment')).toBeTruthy();
    expect(within(unread).getByText('Ann Lee')).toBeTruthy();

    const read = screen.getByTestId('thread-row-2');
    expect(read.getAttribute('data-unread')).toBe('false');
    expect(read.className).not.toContain('emc-unread');
    expect(within(read).getByTestId('thread-subject').textContent).toBe('(no subject)');
    expect(within(read).queryByTestId('thread-count')).toBeNull();
    expect(within(read).getByText('bob@y.example')).toBeTruthy();
  });

  it('lists a scheduled mail by its send time, and marks one whose send failed', () => {
    renderList({
      view: { box: 'scheduled' },
      rows: [
        row({ id: 1, draft: true, box: 'drafts', scheduledAt: '2030-05-01T09:00:00.000Z', scheduleStatus: 'scheduled' }),
        row({ id: 2, draft: true, box: 'drafts', scheduledAt: '2030-05-02T09:00:00.000Z', scheduleStatus: 'failed' }),
        row({ id: 3 }),
      ],
    });
    const waiting = within(screen.getByTestId('thread-row-1')).getByTestId('thread-scheduled-at');
    expect(waiting.textContent).toContain('2030');
    expect(waiting.querySelector('.anticon-clock-circle')).toBeTruthy();
    const failed = within(screen.getByTestId('thread-row-2')).getByTestId('thread-scheduled-at');
    expect(failed.querySelector('.anticon-exclamation-circle')).toBeTruthy();
    expect(within(screen.getByTestId('thread-row-3')).queryByTestId('thread-scheduled-at')).toBeNull();
  });

  it('tags the box of a row only when it differs from the box in view', () => {
    renderList({ view: { box: 'all' }, rows: [row({ id: 1, box: 'sent' }), row({ id: 2, box: 'all' })] });
    expect(within(screen.getByTestId('thread-row-1')).getByTestId('thread-box-tag').textContent).toBe('Sent');
    expect(within(screen.getByTestId('thread-row-2')).queryByTestId('thread-box-tag')).toBeNull();
  });

  it('shows "To:" in Sent and the time for mail of today', () => {
    const now = new Date();
    now.setHours(8, 5, 0, 0);
    renderList({ view: { box: 'sent' }, rows: [row({ id: 1, date: now.toISOString(), correspondents: [{ name: 'Bob', address: 'bob@y.example' }] })] });
    const r = screen.getByTestId('thread-row-1');
    expect(r.textContent).toContain('To: Bob');
    expect(r.textContent).toContain('08:05');
  });

  it('opens on click, while the checkbox and the star do not', () => {
    const h = renderList({ rows: [row({ id: 5 })] });
    fireEvent.click(screen.getByTestId('thread-star-5'));
    expect(h.onStar).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId('thread-select-5'));
    expect(h.onToggleSelect).toHaveBeenCalledTimes(1);
    expect(h.onOpen).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('thread-subject'));
    expect(h.onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 5 }));
  });

  it('shows the empty state of the box, and a skeleton while the first page loads', () => {
    renderList({ emptyText: 'No mail in Inbox' });
    expect(screen.getByTestId('mail-empty').textContent).toContain('No mail in Inbox');
    cleanup();
    renderList({ loading: true });
    expect(screen.getByTestId('mail-list-loading')).toBeTruthy();
    expect(screen.queryByTestId('mail-empty')).toBeNull();
  });
});

describe('SyncBanners', () => {
  it('shows the reauthorize banner (S-ERR-3), the import progress and the last sync error', () => {
    const onReauthorize = vi.fn();
    render(
      <App>
        <SyncBanners
          accounts={[
            account({ id: 1, email: 'ann@gmail.example', status: 'reauthorize' }),
            account({ id: 2, email: 'bob@outlook.example', syncStage: 'importing', importProgress: { percent: 42.7 } }),
            account({ id: 3, email: 'cy@gmail.example', lastSyncError: 'Cannot reach Google' }),
          ]}
          onReauthorize={onReauthorize}
        />
      </App>,
    );
    const banner = screen.getByTestId('mail-reauthorize-1');
    expect(banner.textContent).toContain('The email address ann@gmail.example has an invalid grant. Please reauthorize your account.');
    fireEvent.click(within(banner).getByRole('button', { name: 'Reauthorize' }));
    expect(onReauthorize).toHaveBeenCalledWith(expect.objectContaining({ id: 1 }));
    const progress = screen.getByTestId('mail-sync-progress-2');
    expect(progress.textContent).toContain('Importing mail of bob@outlook.example…');
    expect(progress.textContent).toContain('42%');
    expect(screen.getByTestId('mail-sync-error-3').textContent).toContain('Last sync failed: Cannot reach Google');
  });
});
