/** Settings → Email settings' form: inline checks, the server's field errors, what a save sends. */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SettingsView } from '../../src/shared/settings-api';
import { ApiError } from '../../src/client/api';
import { changedFields } from '../../src/client/settings/form-values';
import { SettingsForm } from '../../src/client/settings/SettingsForm';

const BASE: SettingsView = {
  googleClientId: '',
  googleClientSecretSet: false,
  googleConfigured: false,
  microsoftClientId: '',
  microsoftClientSecretSet: false,
  microsoftTenant: 'common',
  microsoftConfigured: false,
  syncInterval: 5,
  massSendInterval: 2000,
  viewByDepartment: false,
  departmentsAvailable: false,
  redirectUri: 'https://crm.example.com/admin/settings/mail/oauth2',
  imapEnabled: false,
  imapAllowedHosts: [],
};
const MS_ID = '6f1c2a4e-8b1d-4c3e-9a7f-2d5b8e0c1f3a';

function renderForm(settings: Partial<SettingsView> = {}, onSave = vi.fn(async (u) => ({ ...BASE, ...u }))) {
  render(
    <App>
      <SettingsForm settings={{ ...BASE, ...settings }} onSave={onSave} />
    </App>,
  );
  return onSave;
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });
const save = async () => {
  await act(async () => {
    fireEvent.click(screen.getByTestId('save-settings'));
  });
};

afterEach(cleanup);

describe('SettingsForm', () => {
  it('shows the stored IDs, secrets only as set / not set, and the redirect URI', () => {
    renderForm({ googleClientId: 'abc.apps.googleusercontent.com', googleClientSecretSet: true, googleConfigured: true });
    expect(input('googleClientId').value).toBe('abc.apps.googleusercontent.com');
    expect(input('googleClientSecret').value).toBe('');
    expect(screen.getByTestId('googleClientSecret-state').textContent).toBe('Secret set');
    expect(screen.getByTestId('microsoftClientSecret-state').textContent).toBe('Secret not set');
    expect(screen.getByTestId('google-status').textContent).toBe('Configured');
    expect(screen.getAllByTestId('redirect-uri')[0].textContent).toContain('/admin/settings/mail/oauth2');
  });

  it('sends only the changed fields and never an empty secret', async () => {
    const onSave = renderForm({ googleClientId: 'a.apps.googleusercontent.com', googleClientSecretSet: true });
    type('microsoftClientId', MS_ID);
    type('microsoftClientSecret', 'Abc8Q~value');
    await save();
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0][0]).toEqual({ microsoftClientId: MS_ID, microsoftClientSecret: 'Abc8Q~value' });
  });

  it('validates inline and does not save bad values', async () => {
    const onSave = renderForm();
    type('microsoftClientId', 'not-a-guid');
    type('syncInterval', '0');
    await save();
    await waitFor(() => expect(screen.getByText('Microsoft Client ID must be a GUID (Application (client) ID)')).toBeTruthy());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('switches department view only while the Departments plugin is there', async () => {
    renderForm({ departmentsAvailable: false });
    expect((screen.getByTestId('view-by-department') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Needs the Departments plugin')).toBeTruthy();
    cleanup();
    const onSave = renderForm({ departmentsAvailable: true, viewByDepartment: false });
    fireEvent.click(screen.getByTestId('view-by-department'));
    await save();
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0][0]).toEqual({ viewByDepartment: true });
  });

  it('refuses a secret without its client ID', async () => {
    const onSave = renderForm();
    type('googleClientSecret', 'GOCSPX-secret');
    await save();
    await waitFor(() => expect(screen.getByText('Google Client ID is required with a client secret')).toBeTruthy());
    expect(onSave).not.toHaveBeenCalled();
  });

  it('warns on a Google ID of the wrong shape and on a pasted Secret ID, but saves', async () => {
    const onSave = renderForm();
    type('googleClientId', 'my-client');
    type('microsoftClientId', MS_ID);
    type('microsoftClientSecret', '0b6a7c1e-1111-4222-8333-944445555666');
    await save();
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(screen.getByText('Google client IDs usually end with .apps.googleusercontent.com')).toBeTruthy();
    expect(screen.getByText('This looks like the Secret ID; paste the secret Value')).toBeTruthy();
  });

  it('puts server field errors on their fields', async () => {
    const onSave = vi.fn(async (_update: unknown): Promise<SettingsView> => {
      throw new ApiError('Tenant is wrong', { status: 400, field: 'microsoftTenant' }, [{ field: 'microsoftTenant', message: 'Tenant is wrong' }]);
    });
    renderForm({}, onSave);
    type('microsoftTenant', 'contoso.com');
    await save();
    await waitFor(() => expect(document.querySelector('#microsoftTenant')?.closest('.ant-form-item-has-error')).toBeTruthy());
  });

  it('asks before changing a stored Client ID', async () => {
    const onSave = renderForm({ googleClientId: 'old.apps.googleusercontent.com', googleClientSecretSet: true });
    type('googleClientId', 'new.apps.googleusercontent.com');
    await save();
    await waitFor(() => expect(screen.getByText('Change the Client ID?')).toBeTruthy());
    expect(onSave).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Change' }));
    });
    await waitFor(() => expect(onSave).toHaveBeenCalledWith({ googleClientId: 'new.apps.googleusercontent.com' }));
  });
});

describe('changedFields', () => {
  it('normalises an empty tenant to common and trims IDs', () => {
    const values = {
      googleClientId: '  x.apps.googleusercontent.com ',
      googleClientSecret: '',
      microsoftClientId: '',
      microsoftClientSecret: '  ',
      microsoftTenant: '',
      syncInterval: 5,
      massSendInterval: 2000,
      viewByDepartment: false,
      imapEnabled: false,
      imapAllowedHosts: [' '],
    };
    expect(changedFields(BASE, values)).toEqual({ googleClientId: 'x.apps.googleusercontent.com' });
  });
});
