/** Checks a settings update against the rules of src/shared/settings-rules.ts (S-CONF-2/3). */
import { DEFAULT_MICROSOFT_TENANT, GUID, isValidTenant, MASS_SEND_INTERVAL_MS, SYNC_INTERVAL_MINUTES } from '../../shared/settings-rules';
import type { SettingsUpdate } from '../../shared/settings-api';
import { ValidationError } from '../errors';
import { isHostPattern } from '../../shared/server-hosts';

/** The stored state the rules are checked against (secrets only as "is set"). */
export interface StoredSettings {
  googleClientId: string;
  googleSecretSet: boolean;
  microsoftClientId: string;
  microsoftSecretSet: boolean;
  /** Whether the Departments plugin is there: without it, department view cannot be switched on. */
  departmentsAvailable?: boolean;
  imapEnabled?: boolean;
}

type Translate = (text: string, options?: Record<string, unknown>) => string;

const MAX_ID_LENGTH = 255;
const MAX_SECRET_LENGTH = 4096;

const FIELDS: (keyof SettingsUpdate)[] = [
  'googleClientId',
  'googleClientSecret',
  'microsoftClientId',
  'microsoftClientSecret',
  'microsoftTenant',
  'syncInterval',
  'massSendInterval',
  'viewByDepartment',
  'imapEnabled',
  'imapAllowedHosts',
];

/** At most this many entries in the IMAP/SMTP host allow-list. */
export const MAX_ALLOWED_HOSTS = 50;

export { isValidTenant };

/**
 * Checks an update request against S-CONF-2/3 and returns the normalised values to write.
 * Every problem is collected, so the form can show them all at once; nothing is written when
 * any is found.
 */
export function validateSettingsUpdate(input: unknown, stored: StoredSettings, t: Translate): SettingsUpdate {
  const errors: { field: string; message: string }[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError([{ field: 'values', message: t('Settings must be an object') }]);
  }
  const raw = input as Record<string, unknown>;
  const out: SettingsUpdate = {};

  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key as keyof SettingsUpdate)) fail(key, t('Unknown field "{{field}}"', { field: key }));
  }

  const clientId = (field: 'googleClientId' | 'microsoftClientId', label: string) => {
    if (!(field in raw)) return;
    const value = raw[field];
    if (typeof value !== 'string') return fail(field, t('{{label}} must be text', { label }));
    const trimmed = value.trim();
    if (trimmed.length > MAX_ID_LENGTH) return fail(field, t('{{label}} is too long', { label }));
    if (field === 'microsoftClientId' && trimmed && !GUID.test(trimmed)) {
      return fail(field, t('Microsoft Client ID must be a GUID (Application (client) ID)'));
    }
    out[field] = trimmed;
  };
  const secret = (field: 'googleClientSecret' | 'microsoftClientSecret', label: string) => {
    if (!(field in raw)) return;
    const value = raw[field];
    if (value === null) return void (out[field] = null);
    if (typeof value !== 'string') return fail(field, t('{{label}} must be text', { label }));
    const trimmed = value.trim();
    if (trimmed.length > MAX_SECRET_LENGTH) return fail(field, t('{{label}} is too long', { label }));
    if (trimmed) out[field] = trimmed;
  };
  const integer = (field: 'syncInterval' | 'massSendInterval', label: string, range: { min: number; max: number }) => {
    if (!(field in raw)) return;
    const value = raw[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      return fail(field, t('{{label}} must be a whole number from {{min}} to {{max}}', { label, ...range }));
    }
    out[field] = value;
  };

  clientId('googleClientId', t('Google Client ID'));
  secret('googleClientSecret', t('Google Client Secret'));
  clientId('microsoftClientId', t('Microsoft Client ID'));
  secret('microsoftClientSecret', t('Microsoft Client Secret'));
  if ('microsoftTenant' in raw) {
    const value = raw.microsoftTenant;
    if (typeof value !== 'string') fail('microsoftTenant', t('{{label}} must be text', { label: t('Tenant') }));
    else if (value.trim() && !isValidTenant(value.trim())) {
      fail('microsoftTenant', t('Tenant must be common, organizations, consumers, a tenant ID or a domain'));
    } else out.microsoftTenant = value.trim() || DEFAULT_MICROSOFT_TENANT;
  }
  integer('syncInterval', t('Sync Interval (minutes)'), SYNC_INTERVAL_MINUTES);
  integer('massSendInterval', t('Mass send interval (milliseconds)'), MASS_SEND_INTERVAL_MS);
  if ('viewByDepartment' in raw) {
    const value = raw.viewByDepartment;
    if (typeof value !== 'boolean') fail('viewByDepartment', t('{{label}} must be on or off', { label: t('View messages by department') }));
    else if (value && !stored.departmentsAvailable) fail('viewByDepartment', t('Enable the Departments plugin first'));
    else out.viewByDepartment = value;
  }

  if ('imapEnabled' in raw) {
    if (typeof raw.imapEnabled !== 'boolean') fail('imapEnabled', t('{{label}} must be on or off', { label: t('Other mail servers (IMAP/SMTP)') }));
    else out.imapEnabled = raw.imapEnabled;
  }
  if ('imapAllowedHosts' in raw) {
    const value = raw.imapAllowedHosts;
    const hosts = Array.isArray(value) ? value.map((h) => (typeof h === 'string' ? h.trim().toLowerCase() : '')) : null;
    if (!hosts || hosts.length > MAX_ALLOWED_HOSTS) fail('imapAllowedHosts', t('Allowed servers must be a list of at most {{max}} host names', { max: MAX_ALLOWED_HOSTS }));
    else {
      const bad = hosts.find((h) => !isHostPattern(h));
      if (bad !== undefined) fail('imapAllowedHosts', t('"{{host}}" is not a host name, *.domain or IP address', { host: bad }));
      else out.imapAllowedHosts = [...new Set(hosts)];
    }
  }

  // A secret is useless, and confusing, without the client ID it belongs to.
  const pairs = [
    ['googleClientId', 'googleClientSecret', stored.googleClientId, stored.googleSecretSet, 'Google'],
    ['microsoftClientId', 'microsoftClientSecret', stored.microsoftClientId, stored.microsoftSecretSet, 'Microsoft'],
  ] as const;
  for (const [idField, secretField, storedId, storedSecret, provider] of pairs) {
    if (errors.some((e) => e.field === idField || e.field === secretField)) continue;
    const idAfter = idField in out ? out[idField] : storedId;
    const secretAfter = secretField in out ? out[secretField] != null : storedSecret;
    if (!idAfter && secretAfter) {
      const field = out[secretField] ? secretField : idField;
      fail(field, t('{{provider}} Client ID is required with a client secret', { provider }));
    }
  }

  if (errors.length) throw new ValidationError(errors);
  return out;
}
