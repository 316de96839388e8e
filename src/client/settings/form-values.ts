/** The settings form's values: from the server's view, which tab holds each field, and what changed. */
import type { SettingsUpdate, SettingsView } from '../../shared/settings-api';
import { DEFAULT_MICROSOFT_TENANT } from '../../shared/settings-rules';

export type TabKey = 'google' | 'microsoft' | 'general' | 'servers';

export interface FormValues {
  googleClientId: string;
  googleClientSecret: string;
  microsoftClientId: string;
  microsoftClientSecret: string;
  microsoftTenant: string;
  syncInterval: number;
  massSendInterval: number;
  viewByDepartment: boolean;
  imapEnabled: boolean;
  imapAllowedHosts: string[];
}

export const TAB_OF_FIELD: Record<keyof FormValues, TabKey> = {
  googleClientId: 'google',
  googleClientSecret: 'google',
  microsoftClientId: 'microsoft',
  microsoftClientSecret: 'microsoft',
  microsoftTenant: 'microsoft',
  syncInterval: 'general',
  massSendInterval: 'general',
  viewByDepartment: 'general',
  imapEnabled: 'servers',
  imapAllowedHosts: 'servers',
};

export function formValuesOf(settings: SettingsView): FormValues {
  return {
    googleClientId: settings.googleClientId,
    googleClientSecret: '',
    microsoftClientId: settings.microsoftClientId,
    microsoftClientSecret: '',
    microsoftTenant: settings.microsoftTenant || DEFAULT_MICROSOFT_TENANT,
    syncInterval: settings.syncInterval,
    massSendInterval: settings.massSendInterval,
    viewByDepartment: Boolean(settings.viewByDepartment),
    imapEnabled: Boolean(settings.imapEnabled),
    imapAllowedHosts: settings.imapAllowedHosts ?? [],
  };
}

/** Only what the admin changed; an empty secret field means "keep the stored one". */
export function changedFields(settings: SettingsView, values: FormValues): SettingsUpdate {
  const update: SettingsUpdate = {};
  const text = (v: string | undefined) => (v ?? '').trim();
  if (text(values.googleClientId) !== settings.googleClientId) update.googleClientId = text(values.googleClientId);
  if (text(values.googleClientSecret)) update.googleClientSecret = text(values.googleClientSecret);
  if (text(values.microsoftClientId) !== settings.microsoftClientId) update.microsoftClientId = text(values.microsoftClientId);
  if (text(values.microsoftClientSecret)) update.microsoftClientSecret = text(values.microsoftClientSecret);
  const tenant = text(values.microsoftTenant) || DEFAULT_MICROSOFT_TENANT;
  if (tenant !== settings.microsoftTenant) update.microsoftTenant = tenant;
  if (values.syncInterval !== settings.syncInterval) update.syncInterval = values.syncInterval;
  if (values.massSendInterval !== settings.massSendInterval) update.massSendInterval = values.massSendInterval;
  if (Boolean(values.viewByDepartment) !== Boolean(settings.viewByDepartment)) update.viewByDepartment = Boolean(values.viewByDepartment);
  if (Boolean(values.imapEnabled) !== Boolean(settings.imapEnabled)) update.imapEnabled = Boolean(values.imapEnabled);
  const hosts = [...new Set((values.imapAllowedHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean))];
  if (hosts.join(',') !== (settings.imapAllowedHosts ?? []).join(',')) update.imapAllowedHosts = hosts;
  return update;
}
