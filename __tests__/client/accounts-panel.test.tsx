import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountsPanel } from '../../src/client/accounts/AccountsPanel';
import { OAuthReturnPage } from '../../src/client/accounts/OAuthReturnPage';
import { AccountsApi, AccountView } from '../../src/client/accounts/types';
import { account as accountView } from './mail-center-fakes';

/** Ann's Gmail account as the server lists it (mail-center-fakes.ts gives the rest of the view). */
const account = (over: Partial<AccountView> = {}): AccountView =>
  accountView({ email: 'ann@gmail.example', displayName: 'Ann', syncStartDate: '2026-10-25T00:00:00.000Z', createdAt: '2026-11-25T00:00:00.000Z', ...over });

function fakeApi(over: Partial<AccountsApi> = {}): AccountsApi {
  return {
    list: vi.fn(async () => [account()]),
    providers: vi.fn(async () => ({ gmail: true, outlook: true, imap: false })),
    authorize: vi.fn(async () => ({ url: 'https://accounts.example/auth?x=1' })),
    complete: vi.fn(async () => ({ account: account(), created: true, reauthorized: false })),
    syncAliases: vi.fn(async () => []),
    remove: vi.fn(async () => {}),
    syncNow: vi.fn(async () => {}),
    resync: vi.fn(async () => {}),
    syncLogs: vi.fn(async () => []),
    testServer: vi.fn(async () => ({ imap: { ok: true }, smtp: { ok: true } })),
    connectServer: vi.fn(),
    setWorkflowAccess: vi.fn(async (id: number, allowed: boolean) => account({ id, workflowAccess: allowed })),
    ...over,
  };
}

const renderIn = (node: React.ReactNode) => render(<App>{node}</App>);
afterEach(cleanup);

describe('AccountsPanel', () => {
  it('starts a sync, shows import progress, throttling and the last error', async () => {
    const api = fakeApi({
      list: vi.fn(async () => [
        account({ status: 'syncing', syncStage: 'importing', importProgress: { percent: 40, imported: 400, total: 1000 } }),
        account({ id: 2, email: 'bob@gmail.example', throttledUntil: '2099-01-01T10:30:00.000Z', lastSyncError: 'Cannot reach Google (HTTP 503)' }),
      ]),
    });
    renderIn(<AccountsPanel api={api} />);
    await screen.findByText('ann@gmail.example');
    expect(document.querySelector('.ant-progress')).toBeTruthy();
    expect(screen.getByText(/Throttled until/)).toBeTruthy();
    expect(screen.getByText('Last sync failed: Cannot reach Google (HTTP 503)')).toBeTruthy();
    fireEvent.click(screen.getAllByTestId('sync-now')[1]);
    await waitFor(() => expect(api.syncNow).toHaveBeenCalledWith(2));
  });

  it('shows the sync log of an account', async () => {
    const api = fakeApi({
      syncLogs: vi.fn(async () => [
        { id: 9, kind: 'manual', outcome: 'failed', startedAt: '2026-11-25T10:00:00Z', endedAt: '2026-11-25T10:00:02Z', added: 1, updated: 2, deleted: 0, apiCalls: 4, error: 'Cannot reach Google' },
      ] as any),
    });
    renderIn(<AccountsPanel api={api} />);
    fireEvent.click(await screen.findByText('Sync log'));
    await screen.findByText('Cannot reach Google');
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(api.syncLogs).toHaveBeenCalledWith(1);
  });

  it('lists the accounts with their status and offers the configured providers only', async () => {
    renderIn(<AccountsPanel api={fakeApi({ providers: vi.fn(async () => ({ gmail: true, outlook: false, imap: false })) })} />);
    await screen.findByText('ann@gmail.example');
    expect(screen.getByText('Connected')).toBeTruthy();
    expect(screen.getByTestId('connect-gmail')).toBeTruthy();
    expect(screen.queryByTestId('connect-outlook')).toBeNull();
  });

  it('tells the user to ask the admin when no provider is configured', async () => {
    renderIn(<AccountsPanel api={fakeApi({ providers: vi.fn(async () => ({ gmail: false, outlook: false, imap: false })) })} />);
    expect(await screen.findByTestId('not-configured')).toBeTruthy();
    expect(screen.getByText('Email is not configured yet. Ask your administrator.')).toBeTruthy();
  });

  it('opens the tab inside the click and sends it to the consent URL with the start date', async () => {
    const api = fakeApi();
    const tab = { location: { href: '' }, close: vi.fn() } as any;
    const openTab = vi.fn(() => tab);
    renderIn(<AccountsPanel api={api} openTab={openTab} />);
    fireEvent.click(await screen.findByTestId('connect-outlook'));
    expect(screen.getByText('By default, only emails from the past month will be synced')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByTestId('connect-continue'));
    });
    expect(openTab).toHaveBeenCalledTimes(1);
    const input = (api.authorize as any).mock.calls[0][0];
    expect(input.provider).toBe('outlook');
    const days = (Date.now() - new Date(input.syncStartDate).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(27);
    expect(days).toBeLessThan(33);
    await waitFor(() => expect(tab.location.href).toBe('https://accounts.example/auth?x=1'));
  });

  it('closes the tab and shows the server message when authorizing fails', async () => {
    const api = fakeApi({ authorize: vi.fn(async () => Promise.reject(new Error('Email is not configured yet. Ask your administrator.'))) });
    const tab = { location: { href: '' }, close: vi.fn() } as any;
    renderIn(<AccountsPanel api={api} openTab={() => tab} />);
    fireEvent.click(await screen.findByTestId('connect-gmail'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('connect-continue'));
    });
    await waitFor(() => expect(tab.close).toHaveBeenCalled());
    expect(await screen.findByText('Email is not configured yet. Ask your administrator.')).toBeTruthy();
  });

  it('offers Reauthorize with the translated banner for an invalid grant', async () => {
    const api = fakeApi({
      list: vi.fn(async () => [
        account({ status: 'reauthorize', statusMessage: 'The email address {{email}} has an invalid grant. Please reauthorize your account.' }),
      ]),
    });
    const tab = { location: { href: '' }, close: vi.fn() } as any;
    renderIn(<AccountsPanel api={api} openTab={() => tab} />);
    expect(await screen.findByText('The email address ann@gmail.example has an invalid grant. Please reauthorize your account.')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Reauthorize' }));
    });
    expect(api.authorize).toHaveBeenCalledWith({ accountId: 1 });
  });

  it('deletes after confirmation and reloads the list', async () => {
    const api = fakeApi();
    renderIn(<AccountsPanel api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(screen.getByText('Delete ann@gmail.example?')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByTestId('confirm-delete'));
    });
    await waitFor(() => expect(api.remove).toHaveBeenCalledWith(1));
    expect((api.list as any).mock.calls.length).toBeGreaterThan(1);
  });
});

describe('AccountsPanel: workflow access', () => {
  const switchOf = (email: string) => screen.getByTestId(`account-${email}`).querySelector('[data-testid="workflow-access"]') as HTMLElement;

  it('shows each account\'s consent and turns it on and off through the server', async () => {
    const listed = [account(), account({ id: 2, email: 'bob@gmail.example', workflowAccess: true })];
    const api = fakeApi({
      list: vi.fn(async () => listed),
      // The server answers the account as it now is.
      setWorkflowAccess: vi.fn(async (id: number, allowed: boolean) => ({ ...listed.find((a) => a.id === id)!, workflowAccess: allowed })),
    });
    renderIn(<AccountsPanel api={api} />);
    await screen.findByText('ann@gmail.example');
    expect(screen.getAllByText('Allow workflows to use this mailbox')).toHaveLength(2);
    expect(switchOf('ann@gmail.example').getAttribute('aria-checked')).toBe('false');
    expect(switchOf('bob@gmail.example').getAttribute('aria-checked')).toBe('true');
    await act(async () => {
      fireEvent.click(switchOf('ann@gmail.example'));
    });
    await waitFor(() => expect(switchOf('ann@gmail.example').getAttribute('aria-checked')).toBe('true'));
    expect(api.setWorkflowAccess).toHaveBeenCalledWith(1, true);
    await act(async () => {
      fireEvent.click(switchOf('bob@gmail.example'));
    });
    await waitFor(() => expect(switchOf('bob@gmail.example').getAttribute('aria-checked')).toBe('false'));
    expect(api.setWorkflowAccess).toHaveBeenCalledWith(2, false);
  });

  it('keeps the switch as it was and shows the server\'s message when the change fails', async () => {
    const api = fakeApi({ setWorkflowAccess: vi.fn(async () => Promise.reject(new Error('Mail account not found'))) });
    renderIn(<AccountsPanel api={api} />);
    await screen.findByText('ann@gmail.example');
    await act(async () => {
      fireEvent.click(switchOf('ann@gmail.example'));
    });
    expect(await screen.findByText('Mail account not found')).toBeTruthy();
    expect(switchOf('ann@gmail.example').getAttribute('aria-checked')).toBe('false');
  });
});

describe('OAuthReturnPage', () => {
  it('waits for the first mail of a new account, then says the rest continues', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = fakeApi({ list: vi.fn(async () => [account({ syncStage: 'importing', importProgress: { imported: 12, total: 900, percent: 1 } })]) });
    const closeTab = vi.fn(() => true);
    renderIn(<OAuthReturnPage api={api} search="?code=abc&state=s.t" closeTab={closeTab} />);
    expect(await screen.findByText('Importing your newest mail… 12 of 50')).toBeTruthy();
    await act(async () => {
      vi.advanceTimersByTime(61_000);
    });
    expect(await screen.findByText(/Your mail is still arriving/)).toBeTruthy();
    expect(closeTab).not.toHaveBeenCalled();
    vi.useRealTimers();
  });

  it('posts code and state once and closes itself', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = fakeApi({ list: vi.fn(async () => [account({ importProgress: { imported: 50, total: 900, percent: 5 } })]) });
    const closeTab = vi.fn(() => true);
    renderIn(<OAuthReturnPage api={api} search="?code=abc&state=s.t&scope=x" closeTab={closeTab} />);
    expect(await screen.findByText('ann@gmail.example is connected')).toBeTruthy();
    expect(api.complete).toHaveBeenCalledTimes(1);
    expect(api.complete).toHaveBeenCalledWith({ code: 'abc', state: 's.t' });
    await act(async () => {
      vi.advanceTimersByTime(2000);
    });
    expect(closeTab).toHaveBeenCalled();
    vi.useRealTimers();
  });

  it('says the authorization was cancelled on access_denied', async () => {
    const api = fakeApi({ complete: vi.fn(async () => Promise.reject(new Error('Authorization was cancelled'))) });
    renderIn(<OAuthReturnPage api={api} search="?error=access_denied&state=s.t" closeTab={() => false} />);
    expect(await screen.findByText('Authorization was cancelled')).toBeTruthy();
  });

  it('offers Try again with the same provider and start date', async () => {
    const cancelled = Object.assign(new Error('Authorization was cancelled'), {
      details: { field: 'access_denied', provider: 'outlook', syncStartDate: '2026-01-01T00:00:00.000Z' },
    });
    const api = fakeApi({ complete: vi.fn(async () => Promise.reject(cancelled)), authorize: vi.fn(async () => Promise.reject(new Error('Email is not configured yet. Ask your administrator.'))) });
    renderIn(<OAuthReturnPage api={api} search="?error=access_denied&state=s.t" closeTab={() => false} />);
    fireEvent.click(await screen.findByTestId('oauth-retry'));
    await waitFor(() => expect(api.authorize).toHaveBeenCalledWith({ provider: 'outlook', syncStartDate: '2026-01-01T00:00:00.000Z' }));
    expect(await screen.findByText('Email is not configured yet. Ask your administrator.')).toBeTruthy();
  });

  it('shows the server message for an expired link', async () => {
    const api = fakeApi({ complete: vi.fn(async () => Promise.reject(new Error('The authorization link has expired'))) });
    renderIn(<OAuthReturnPage api={api} search="?code=abc&state=old" closeTab={() => false} />);
    expect(await screen.findByText('The authorization link has expired')).toBeTruthy();
    expect(screen.getByText('The mailbox could not be connected')).toBeTruthy();
  });
});
