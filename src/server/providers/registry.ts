import { PROVIDER_SIGN_IN } from '../../shared/accounts-api';
import type { CredentialOwner } from '../settings/settings-service';
import { GmailProvider } from './gmail/gmail-provider';
import { ImapProvider } from './imap/imap-provider';
import { OutlookProvider } from './outlook/outlook-provider';
import { MailProvider, ProviderCapabilities, ProviderClientConfig, ProviderName } from './types';

export interface ProviderEntry {
  /** Whose app credentials (Settings → Email settings) it signs in with; null: the user's own server login. */
  credentials: CredentialOwner | null;
  capabilities: ProviderCapabilities;
  create(config: ProviderClientConfig | null): MailProvider;
}

/** The app credentials an OAuth provider is built with (the registry passes them). */
const required = (config: ProviderClientConfig | null): ProviderClientConfig => {
  if (!config) throw new Error('an OAuth provider needs the app credentials');
  return config;
};

/** One entry per provider: which credentials it uses, what it can do, and how it is built. */
export const PROVIDERS: Record<ProviderName, ProviderEntry> = {
  gmail: {
    credentials: 'google',
    capabilities: { grouping: 'labels', aliases: true, providerScheduledBox: true, signIn: PROVIDER_SIGN_IN.gmail },
    create: (config) => new GmailProvider(required(config)),
  },
  outlook: {
    credentials: 'microsoft',
    capabilities: { grouping: 'folders', aliases: false, providerScheduledBox: false, signIn: PROVIDER_SIGN_IN.outlook },
    create: (config) => new OutlookProvider(required(config)),
  },
  imap: {
    credentials: null,
    capabilities: { grouping: 'folders', aliases: false, providerScheduledBox: false, signIn: PROVIDER_SIGN_IN.imap },
    create: () => new ImapProvider(),
  },
};

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && value in PROVIDERS;
}
