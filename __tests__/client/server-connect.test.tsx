import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountsPanel } from '../../src/client/accounts/AccountsPanel';
import type { AccountsApi } from '../../src/client/accounts/types';
import { account, fakeAccountsApi } from './mail-center-fakes';

/** "Connect other mailbox" (S-IMAP-1): the dialog fills, tests and connects; a refused password is entered again. */
const imapAccount = account({
  id: 7,
  provider: 'imap',
  email: 'ada@example.org',
  status: 'reauthorize',
  statusMessage: 'The mail server refused the password',
  server: { username: 'ada', imap: { host: 'mail.example.org', port: 993, security: 'tls' }, smtp: { host: 'mail.example.org', port: 587, security: 'starttls' } },
});

function api(over: Partial<AccountsApi> = {}): AccountsApi {
  return {
    ...fakeAccountsApi([imapAccount]),
    providers: vi.fn(async () => ({ gmail: false, outlook: false, imap: true })),
    ...over,
  } as AccountsApi;
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
afterEach(cleanup);

describe('Connect other mailbox', () => {
  it('offers only the server dialog when only IMAP is on; a preset fills the servers; the test names what failed', async () => {
    const testServer = vi.fn(async () => ({ imap: { ok: true }, smtp: { ok: false, failure: 'login' as const, error: 'smtp.fastmail.com:465 refused the password' } }));
    const connectServer = vi.fn(async () => ({ account: account({ provider: 'imap', email: 'me@fastmail.com' }), created: true, reauthorized: false }));
    render(<App><AccountsPanel api={api({ testServer, connectServer })} /></App>);
    fireEvent.click(await screen.findByTestId('connect-server'));
    expect(screen.queryByTestId('connect-gmail')).toBeNull();
    fireEvent.mouseDown(screen.getByTestId('server-preset').querySelector('.ant-select-selector') ?? screen.getByTestId('server-preset'));
    fireEvent.click(await screen.findByText('Fastmail'));
    await waitFor(() => expect((screen.getByTestId('server-imap-host') as HTMLInputElement).value).toBe('imap.fastmail.com'));
    type('server-email', 'me@fastmail.com');
    type('server-password', 'app-password');
    fireEvent.click(screen.getByTestId('server-test'));
    expect(await screen.findByText('IMAP: connected')).toBeTruthy();
    expect(screen.getByText('SMTP: smtp.fastmail.com:465 refused the password')).toBeTruthy();
    expect(testServer).toHaveBeenCalledWith(
      expect.objectContaining({
        email: 'me@fastmail.com',
        password: 'app-password',
        imap: { host: 'imap.fastmail.com', port: 993, security: 'tls' },
        smtp: { host: 'smtp.fastmail.com', port: 465, security: 'tls' },
      }),
    );
    fireEvent.click(screen.getByTestId('server-connect'));
    await waitFor(() => expect(connectServer).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByTestId('server-password')).toBeNull());
  });

  it('"Enter password again" keeps the address and servers and sends only what changed with the account id', async () => {
    const connectServer = vi.fn(async () => ({ account: imapAccount, created: false, reauthorized: true }));
    render(<App><AccountsPanel api={api({ connectServer })} /></App>);
    expect(await screen.findByText('The mail server refused the password')).toBeTruthy();
    fireEvent.click(screen.getByText('Enter password again'));
    await waitFor(() => expect((screen.getByTestId('server-imap-host') as HTMLInputElement).value).toBe('mail.example.org'));
    expect((screen.getByTestId('server-email') as HTMLInputElement).disabled).toBe(true);
    type('server-password', 'new secret');
    fireEvent.click(screen.getByTestId('server-connect'));
    await waitFor(() =>
      expect(connectServer).toHaveBeenCalledWith({
        accountId: 7,
        username: 'ada',
        password: 'new secret',
        imap: { host: 'mail.example.org', port: 993, security: 'tls' },
        smtp: { host: 'mail.example.org', port: 587, security: 'starttls' },
      }),
    );
  });

  it('shows the server\'s error when connecting fails', async () => {
    const connectServer = vi.fn(async () => {
      throw new Error('IMAP: The mail server refused the password');
    });
    render(<App><AccountsPanel api={api({ connectServer })} /></App>);
    fireEvent.click(await screen.findByTestId('connect-server'));
    type('server-email', 'ada@example.org');
    type('server-password', 'x');
    type('server-imap-host', 'mail.example.org');
    type('server-smtp-host', 'mail.example.org');
    fireEvent.click(screen.getByTestId('server-connect'));
    expect((await screen.findByTestId('server-error')).textContent).toContain('refused the password');
  });
});
