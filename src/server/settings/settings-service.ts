/** The plugin's settings row (S-CONF-*): its view, validated updates, and the decrypted provider credentials. */
import type Application from '@nocobase/server';
import { ACCOUNT_STATUS, COLLECTIONS, DEFAULT_MICROSOFT_TENANT, MASS_SEND_INTERVAL_MS, SYNC_INTERVAL_MINUTES } from '../constants';
import type { Transaction } from '../db-types';
import { PROVIDERS } from '../providers/registry';
import { SecretBox } from '../secrets';
import type { SettingsUpdate, SettingsView } from '../../shared/settings-api';
import { validateSettingsUpdate } from './validate';
import { AccountState } from '../sync/account-state';

/** Decrypted credentials of one provider, for the provider layer only. */
export interface ProviderCredentials {
  clientId: string;
  clientSecret: string;
  tenant?: string;
}

export type CredentialOwner = 'google' | 'microsoft';

/** Status message of IMAP/SMTP accounts while the admin has other mail servers switched off. */
export const IMAP_OFF_MESSAGE = 'The administrator turned off other mail servers (IMAP/SMTP)';

/** Whether users may connect and sync other mail servers, and which hosts they may enter (S-IMAP-1). */
export interface ServerPolicy {
  enabled: boolean;
  allowedHosts: string[];
}

/** The providers whose accounts a set of credentials serves (S-CONF-4 changes their status). */
const providersUsing = (owner: CredentialOwner) =>
  (Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]).filter((name) => PROVIDERS[name].credentials === owner);

type Translate = (text: string, options?: Record<string, unknown>) => string;

export class SettingsService {
  private readonly secrets: SecretBox;

  constructor(private readonly app: Application) {
    this.secrets = new SecretBox(app);
  }

  private get repository() {
    return this.app.db.getRepository(COLLECTIONS.settings);
  }

  /** The single settings row, created with the defaults when missing. */
  async row() {
    const existing = await this.repository.findOne({ sort: ['id'] });
    if (existing) return existing;
    return this.repository.create({
      values: {
        syncInterval: SYNC_INTERVAL_MINUTES.default,
        massSendInterval: MASS_SEND_INTERVAL_MS.default,
        microsoftTenant: DEFAULT_MICROSOFT_TENANT,
      },
    });
  }

  async view(redirectUri: string): Promise<SettingsView> {
    const row = await this.row();
    const googleClientId = row.get('googleClientId') || '';
    const microsoftClientId = row.get('microsoftClientId') || '';
    const googleClientSecretSet = Boolean(row.get('googleClientSecret'));
    const microsoftClientSecretSet = Boolean(row.get('microsoftClientSecret'));
    return {
      googleClientId,
      googleClientSecretSet,
      googleConfigured: Boolean(googleClientId && googleClientSecretSet),
      microsoftClientId,
      microsoftClientSecretSet,
      microsoftTenant: row.get('microsoftTenant') || DEFAULT_MICROSOFT_TENANT,
      microsoftConfigured: Boolean(microsoftClientId && microsoftClientSecretSet),
      syncInterval: row.get('syncInterval') ?? SYNC_INTERVAL_MINUTES.default,
      massSendInterval: row.get('massSendInterval') ?? MASS_SEND_INTERVAL_MS.default,
      viewByDepartment: this.departmentsAvailable() && Boolean(row.get('viewByDepartment')),
      departmentsAvailable: this.departmentsAvailable(),
      redirectUri,
      imapEnabled: Boolean(row.get('imapEnabled')),
      imapAllowedHosts: (row.get('imapAllowedHosts') as string[] | null) ?? [],
    };
  }

  /** Validates and saves an update; throws ValidationError and writes nothing on bad input. */
  async update(input: unknown, t: Translate): Promise<void> {
    const row = await this.row();
    const before = {
      googleClientId: row.get('googleClientId') || '',
      googleSecretSet: Boolean(row.get('googleClientSecret')),
      microsoftClientId: row.get('microsoftClientId') || '',
      microsoftSecretSet: Boolean(row.get('microsoftClientSecret')),
      departmentsAvailable: this.departmentsAvailable(),
      imapEnabled: Boolean(row.get('imapEnabled')),
    };
    const update = validateSettingsUpdate(input, before, t);
    const values = await this.toStoredValues(update);
    if (!Object.keys(values).length) return;

    await this.app.db.sequelize.transaction(async (transaction) => {
      await this.repository.update({ filterByTk: row.get('id'), values, transaction });
      for (const owner of ['google', 'microsoft'] as const) {
        const idBefore = before[`${owner}ClientId`];
        const idAfter = values[`${owner}ClientId`] ?? idBefore;
        const secretAfter =
          `${owner}ClientSecret` in values ? values[`${owner}ClientSecret`] != null : before[`${owner}SecretSet`];
        const configuredBefore = Boolean(idBefore && before[`${owner}SecretSet`]);
        const configuredAfter = Boolean(idAfter && secretAfter);
        if (configuredBefore && !configuredAfter) {
          await this.setAccountsStatus(owner, ACCOUNT_STATUS.error, 'The administrator removed the provider credentials', transaction);
        } else if (idBefore && idAfter && idBefore !== idAfter) {
          // Tokens are bound to the client that issued them (S-CONF-4).
          await this.setAccountsStatus(owner, ACCOUNT_STATUS.reauthorize, 'The provider client changed', transaction);
        }
      }
      // Other mail servers switched off: their accounts stop (and say why) until switched on again.
      const state = new AccountState(this.app);
      if (before.imapEnabled && update.imapEnabled === false) await state.markProviderAccounts(['imap'], ACCOUNT_STATUS.error, IMAP_OFF_MESSAGE, transaction);
      if (!before.imapEnabled && update.imapEnabled === true) await state.restoreProviderAccounts(['imap'], IMAP_OFF_MESSAGE, transaction);
    });
    this.app.emit('email-manager:settingsChanged');
  }

  /** The Departments plugin defines this collection; department view needs it (S-ACL-6). */
  departmentsAvailable(): boolean {
    return Boolean(this.app.db.getCollection('departments'));
  }

  async serverPolicy(): Promise<ServerPolicy> {
    const row = await this.row();
    return { enabled: Boolean(row.get('imapEnabled')), allowedHosts: (row.get('imapAllowedHosts') as string[] | null) ?? [] };
  }

  /** Decrypted credentials, or null when the provider is not configured (S-CONF-4). */
  async credentials(owner: CredentialOwner): Promise<ProviderCredentials | null> {
    const row = await this.row();
    const clientId = row.get(`${owner}ClientId`);
    const clientSecret = await this.secrets.open(row.get(`${owner}ClientSecret`));
    if (!clientId || !clientSecret) return null;
    return owner === 'microsoft'
      ? { clientId, clientSecret, tenant: row.get('microsoftTenant') || DEFAULT_MICROSOFT_TENANT }
      : { clientId, clientSecret };
  }

  private async toStoredValues(update: SettingsUpdate) {
    const values: Record<string, unknown> = { ...update };
    for (const field of ['googleClientSecret', 'microsoftClientSecret'] as const) {
      if (typeof update[field] === 'string') values[field] = await this.secrets.seal(update[field] as string);
    }
    return values;
  }

  private async setAccountsStatus(owner: CredentialOwner, status: typeof ACCOUNT_STATUS.error | typeof ACCOUNT_STATUS.reauthorize, statusMessage: string, transaction: Transaction) {
    await new AccountState(this.app).markProviderAccounts(providersUsing(owner), status, statusMessage, transaction);
  }
}
