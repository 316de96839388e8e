import type { CredentialOwner } from '../settings/settings-service';
import { GmailProvider } from './gmail/gmail-provider';
import { OutlookProvider } from './outlook/outlook-provider';
import { MailProvider, ProviderClientConfig, ProviderName } from './types';

/** One entry per provider: which credentials it uses and how it is built. */
export const PROVIDERS: Record<ProviderName, { credentials: CredentialOwner; create(config: ProviderClientConfig): MailProvider }> = {
  gmail: { credentials: 'google', create: (config) => new GmailProvider(config) },
  outlook: { credentials: 'microsoft', create: (config) => new OutlookProvider(config) },
};

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === 'string' && value in PROVIDERS;
}
