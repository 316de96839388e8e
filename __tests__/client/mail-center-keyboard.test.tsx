import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandFor } from '../../src/client/mail-center/keyboard';
import { MailCenter } from '../../src/client/mail-center/MailCenter';
import { fakeAccountsApi, fakeMailApi, row } from './mail-center-fakes';

// file-saver is supplied by the NocoBase app at run time, not installed for tests.
vi.mock('../../src/client/mail-center/save-file', () => ({ saveFile: vi.fn() }));

afterEach(cleanup);

const rows = [row({ id: 11, unread: true, subject: 'First' }), row({ id: 12, subject: 'Second' }), row({ id: 13, subject: 'Third' })];
const key = (k: string, target: Element = document.body) => act(() => void fireEvent.keyDown(target, { key: k }));
const cursorId = () => document.querySelector('[data-cursor="true"]')?.getAttribute('data-testid');

async function renderCenter(api = fakeMailApi(rows)) {
  render(
    <App>
      <MailCenter api={api} accountsApi={fakeAccountsApi()} />
    </App>,
  );
  await screen.findByTestId('thread-row-11');
  return api;
}

describe('commandFor', () => {
  it('maps Gmail keys and ignores modified keys and typing', () => {
    const input = document.createElement('input');
    expect(commandFor({ key: 'j', target: document.body } as any)).toBe('next');
    expect(commandFor({ key: '#', target: document.body } as any)).toBe('trash');
    expect(commandFor({ key: 'j', ctrlKey: true, target: document.body } as any)).toBeNull();
    expect(commandFor({ key: 'j', target: input } as any)).toBeNull();
    expect(commandFor({ key: 'q', target: document.body } as any)).toBeNull();
  });
});

describe('MailCenter keyboard', () => {
  it('moves the cursor with j/k, opens with Enter, marks the thread read and goes back with u', async () => {
    const api = await renderCenter();
    expect(cursorId()).toBe('thread-row-11');
    key('j');
    key('j');
    expect(cursorId()).toBe('thread-row-13');
    key('j');
    expect(cursorId()).toBe('thread-row-13');
    key('k');
    expect(cursorId()).toBe('thread-row-12');
    key('Enter');
    await waitFor(() => expect(screen.getByTestId('mail-reader').getAttribute('data-loading')).toBe('false'));
    expect(api.thread).toHaveBeenCalledWith(12);
    // Its mail is unread in the fake, and the thread is the user's own: opening marks it read.
    await waitFor(() => expect(api.setRead).toHaveBeenCalledWith({ ids: [12], scope: 'thread', read: true }));
    key('u');
    expect(screen.queryByTestId('mail-reader')).toBeNull();
    expect(screen.getByTestId('thread-row-12')).toBeTruthy();
  });

  it('selects with x, stars with s, archives the selection with e and trashes the cursor row with #', async () => {
    const api = await renderCenter();
    key('x');
    expect(screen.getByTestId('thread-row-11').getAttribute('data-selected')).toBe('true');
    key('j');
    key('s');
    await waitFor(() => expect(api.setStarred).toHaveBeenCalledWith({ ids: [12], scope: 'message', starred: true }));
    key('e');
    await waitFor(() => expect(api.archive).toHaveBeenCalledWith({ ids: [11], scope: 'thread' }));
    key('#');
    await waitFor(() => expect(api.trash).toHaveBeenCalledWith({ ids: [12], scope: 'thread' }));
  });

  it('a key pressed while an archive of the selection is on its way acts on the cursor row, not the selection again', async () => {
    const api = fakeMailApi(rows);
    let finishArchive: (value: { changed: number }) => void = () => undefined;
    api.archive = vi.fn(() => new Promise<{ changed: number }>((resolve) => (finishArchive = resolve)));
    await renderCenter(api);
    key('x');
    key('j');
    key('e');
    await waitFor(() => expect(api.archive).toHaveBeenCalledWith({ ids: [11], scope: 'thread' }));
    expect(screen.getByTestId('thread-row-11').getAttribute('data-selected')).not.toBe('true');
    key('#');
    await waitFor(() => expect(api.trash).toHaveBeenCalledWith({ ids: [12], scope: 'thread' }));
    await act(async () => finishArchive({ changed: 1 }));
  });

  it('ignores the keys while the user types in the search box', async () => {
    const api = await renderCenter();
    // antd puts the test id on the <input> itself.
    const search = screen.getByTestId('mail-search');
    expect(search.tagName).toBe('INPUT');
    key('j', search);
    key('e', search);
    expect(cursorId()).toBe('thread-row-11');
    expect(api.archive).not.toHaveBeenCalled();
  });

  it('asks to check mail first when a batch action has no selection', async () => {
    const api = await renderCenter();
    fireEvent.click(screen.getByTestId('mail-action-mark-read'));
    expect(await screen.findByText('Please check the mail first')).toBeTruthy();
    expect(api.setRead).not.toHaveBeenCalled();
  });
});
