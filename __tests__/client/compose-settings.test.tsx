/** Settings → Signature and Templates, and the mail center's Settings dialog, against a fake API. */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/client/api';
import { SignaturesPanel } from '../../src/client/compose/settings/SignaturesPanel';
import { TemplatesPanel } from '../../src/client/compose/settings/TemplatesPanel';
import { SettingsDialog } from '../../src/client/mail-center/SettingsDialog';
import type { SignatureView } from '../../src/shared/compose-api';
import { accounts, fakeComposeApi } from './compose-fakes';

/** Settings → Signature and Templates (S-SIG-1, S-TPL-1) against a fake API. */
afterEach(cleanup);

const REGARDS: SignatureView = { id: 1, name: 'Regards', html: '<p>Regards</p>', isDefault: true, accountId: null };
const SALES: SignatureView = { id: 2, name: 'Sales', html: '<p>Sales</p>', isDefault: false, accountId: 1 };

describe('Settings → Signature', () => {
  it('lists the signatures with their scope and default; the tick sets the default', async () => {
    const api = fakeComposeApi({ signatures: vi.fn(async () => [REGARDS, SALES]) });
    render(
      <App>
        <SignaturesPanel api={api} loadAccounts={async () => accounts} />
      </App>,
    );
    await waitFor(() => expect(screen.getAllByTestId('signature-item')).toHaveLength(2));
    const [regards, sales] = screen.getAllByTestId('signature-item');
    expect(regards.textContent).toContain('All accounts');
    expect(regards.textContent).toContain('Default');
    await waitFor(() => expect(sales.textContent).toContain('me@gmail.example'));
    fireEvent.click(within(sales).getByTestId('signature-default'));
    await waitFor(() => expect(api.saveSignature).toHaveBeenCalledWith({ id: 2, isDefault: true }));
    expect(api.signatures).toHaveBeenCalledTimes(2);
  });

  it('creates a signature in the rich-text editor, for one account', async () => {
    const api = fakeComposeApi();
    render(
      <App>
        <SignaturesPanel api={api} loadAccounts={async () => accounts} />
      </App>,
    );
    fireEvent.click(await screen.findByTestId('signature-add'));
    const form = await screen.findByTestId('signature-form');
    expect(within(form).getByTestId('signature-editor')).toBeTruthy();
    // No files in a signature: the image tool is not offered.
    expect(within(form).queryByTestId('compose-tool-image')).toBeNull();
    fireEvent.change(within(form).getByTestId('signature-name-input'), { target: { value: 'Support' } });
    fireEvent.mouseDown(within(within(form).getByTestId('signature-scope')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('me@outlook.example'));
    fireEvent.click(screen.getByTestId('signature-save'));
    // A first signature starts as the default.
    await waitFor(() => expect(api.saveSignature).toHaveBeenCalledWith({ name: 'Support', html: '', accountId: 2, isDefault: true }));
  });

  it('deletes after a confirmation; a server error is shown in the form', async () => {
    const api = fakeComposeApi({
      signatures: vi.fn(async () => [REGARDS]),
      saveSignature: vi.fn(async () => {
        throw new ApiError('Enter a name', { status: 400, field: 'name' });
      }),
    });
    render(
      <App>
        <SignaturesPanel api={api} loadAccounts={async () => accounts} />
      </App>,
    );
    fireEvent.click(await screen.findByTestId('signature-delete'));
    fireEvent.click(await screen.findByTestId('signature-delete-ok'));
    await waitFor(() => expect(api.removeSignature).toHaveBeenCalledWith(1));

    fireEvent.click(screen.getAllByTestId('signature-edit')[0]);
    fireEvent.click(await screen.findByTestId('signature-save'));
    expect((await screen.findByTestId('signature-save-error')).textContent).toBe('Enter a name');
  });
});

describe('Settings → Templates', () => {
  it('creates a template with subject and body; a taken name shows the server message', async () => {
    const saveTemplate = vi
      .fn()
      .mockRejectedValueOnce(new ApiError('A template named "Welcome" already exists', { status: 400, field: 'name' }))
      .mockResolvedValueOnce({ id: 3, name: 'Welcome 2', subject: 'Hi', html: '' });
    const api = fakeComposeApi({ saveTemplate, templates: vi.fn(async () => [{ id: 1, name: 'Welcome', subject: 'Hello', html: '<p>Hi</p>' }]) });
    render(
      <App>
        <TemplatesPanel api={api} />
      </App>,
    );
    expect((await screen.findByTestId('template-item')).textContent).toContain('WelcomeHello');
    fireEvent.click(screen.getByTestId('template-add'));
    const form = await screen.findByTestId('template-form');
    fireEvent.change(within(form).getByTestId('template-name-input'), { target: { value: 'Welcome' } });
    fireEvent.change(within(form).getByTestId('template-subject-input'), { target: { value: 'Hi' } });
    fireEvent.click(screen.getByTestId('template-save'));
    expect((await screen.findByTestId('template-save-error')).textContent).toBe('A template named "Welcome" already exists');
    fireEvent.change(within(form).getByTestId('template-name-input'), { target: { value: 'Welcome 2' } });
    fireEvent.click(screen.getByTestId('template-save'));
    await waitFor(() => expect(saveTemplate).toHaveBeenLastCalledWith({ name: 'Welcome 2', subject: 'Hi', html: '' }));
    await waitFor(() => expect(screen.queryByTestId('template-form')).toBeNull());
  });

  it('deletes after a confirmation', async () => {
    const api = fakeComposeApi({ templates: vi.fn(async () => [{ id: 4, name: 'Old', subject: '', html: '' }]) });
    render(
      <App>
        <TemplatesPanel api={api} />
      </App>,
    );
    fireEvent.click(await screen.findByTestId('template-delete'));
    fireEvent.click(await screen.findByTestId('template-delete-ok'));
    await waitFor(() => expect(api.removeTemplate).toHaveBeenCalledWith(4));
  });
});

describe('the mail center Settings dialog', () => {
  it('has Signature and Templates tabs next to Accounts and Labels', async () => {
    const api = fakeComposeApi({ signatures: vi.fn(async () => [REGARDS]) });
    const accountsApi = { list: vi.fn(async () => accounts) } as any;
    render(
      <App>
        <SettingsDialog tab="signature" onTab={() => undefined} onClose={() => undefined} api={{} as any} accountsApi={accountsApi} labels={[]} onLabelsChanged={() => undefined} composeApi={api} />
      </App>,
    );
    expect(await screen.findByTestId('mail-settings-templates')).toBeTruthy();
    expect((await screen.findByTestId('signature-item')).textContent).toContain('Regards');
  });
});
