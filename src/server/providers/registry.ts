import type { CredentialOwner } from '../settings/settings-service';
import { GmailProvider } from './gmail/gmail-provider';
import { OutlookProvider } from './outlook/outlook-provider';
import { MailProvider, ProviderCapabilities, ProviderClientConfig, ProviderName } from './types';

export interface ProviderEntry {
  credentials: CredentialOwner;
  capabilities: ProviderCapabilities;
  create(config: ProviderClientConfig): MailProvider;
}

/** One entry per provider: which credentials it uses, what it can do, and how it is built. */
export const PROVIDERS: Record<ProviderName, ProviderEntry> = {
  gmail: {
    credentials: 'google',
    capabilities: { grouping: 'labels', aliases: true, providerScheduledBox: true },
    create: (config) => new GmailProvider(config),
  },
  outlook: {
    credentials: 'microsoft',
    capabilities: { grouping: 'folders', aliases: false, providerScheduledBox: false },
    create: (config) => new OutlookProvider(config),
  },
};

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && value in PROVIDERS;
}
