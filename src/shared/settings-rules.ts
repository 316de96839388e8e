/**
 * Rules for the provider settings (S-CONF-2/3) that the server enforces and the settings form
 * checks inline. Plain values and functions only: this file is bundled into the client too.
 */
export const SYNC_INTERVAL_MINUTES = { default: 5, min: 1, max: 1440 } as const;
export const MASS_SEND_INTERVAL_MS = { default: 2000, min: 0, max: 600_000 } as const;
export const DEFAULT_MICROSOFT_TENANT = 'common';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const NAMED_TENANTS = ['common', 'organizations', 'consumers'];

/** Google OAuth client ids of type "Web application" end like this. */
export const GOOGLE_CLIENT_ID_SUFFIX = '.apps.googleusercontent.com';

export function isValidTenant(value: string) {
  return NAMED_TENANTS.includes(value.toLowerCase()) || GUID.test(value) || DOMAIN.test(value);
}

/** Azure shows a secret's ID (a GUID) next to its Value; pasting the ID is a common mistake. */
export function looksLikeSecretId(secret: string) {
  return GUID.test(secret.trim());
}
