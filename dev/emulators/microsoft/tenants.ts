/**
 * Microsoft identity tenants. The URL segment after the authority host is `common`,
 * `organizations`, `consumers`, a tenant GUID or a verified domain. A user belongs to the tenant
 * of their address's domain (a GUID derived from it, stable across runs), or to the consumer
 * tenant for Outlook.com / Hotmail / Live addresses, as personal Microsoft accounts do.
 */
import { stableId } from '../shared/directory';

/** The fixed tenant id of all personal Microsoft accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

const CONSUMER_DOMAIN = /^(outlook|hotmail|live|msn|passport|windowslive)\.[a-z.]+$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TenantSpec =
  | { kind: 'common' | 'organizations' | 'consumers'; segment: string }
  | { kind: 'tenant'; segment: string; tenantId: string };

/** The tenant id of a domain ("contoso.com" → a GUID; consumer domains → the consumer tenant). */
export function tenantIdOfDomain(domain: string) {
  const lower = domain.toLowerCase();
  return CONSUMER_DOMAIN.test(lower) ? CONSUMERS_TENANT_ID : stableId(`tenant:${lower}`);
}

export function userTenant(email: string): { tenantId: string; consumer: boolean } {
  const tenantId = tenantIdOfDomain(email.split('@')[1] || '');
  return { tenantId, consumer: tenantId === CONSUMERS_TENANT_ID };
}

/** What a URL segment names; every domain resolves (the emulator has no list of tenants). */
export function resolveTenant(segment: string): TenantSpec {
  const lower = segment.toLowerCase();
  if (lower === 'common' || lower === 'organizations' || lower === 'consumers') return { kind: lower, segment: lower };
  if (GUID.test(lower)) {
    return lower === CONSUMERS_TENANT_ID ? { kind: 'consumers', segment: lower } : { kind: 'tenant', segment: lower, tenantId: lower };
  }
  const tenantId = tenantIdOfDomain(lower);
  return tenantId === CONSUMERS_TENANT_ID ? { kind: 'consumers', segment: lower } : { kind: 'tenant', segment: lower, tenantId };
}

/** The segment the discovered endpoints use: a domain becomes its GUID, as on login.microsoftonline.com. */
export function endpointSegment(spec: TenantSpec) {
  if (spec.kind === 'tenant') return spec.tenantId;
  // "consumers" stays; "outlook.com" or the consumer GUID itself resolve to the GUID.
  return spec.kind === 'consumers' && spec.segment !== 'consumers' ? CONSUMERS_TENANT_ID : spec.kind;
}

/** The issuer of the tenant's tokens; multi-tenant endpoints publish the `{tenantid}` template. */
export function issuerOf(base: string, spec: TenantSpec) {
  if (spec.kind === 'tenant') return `${base}/${spec.tenantId}/v2.0`;
  if (spec.kind === 'consumers') return `${base}/${CONSUMERS_TENANT_ID}/v2.0`;
  return `${base}/{tenantid}/v2.0`;
}

/** Whether a user may sign in through this tenant segment. */
export function admits(spec: TenantSpec, email: string) {
  const { tenantId, consumer } = userTenant(email);
  if (spec.kind === 'tenant') return spec.tenantId === tenantId;
  if (spec.kind === 'organizations') return !consumer;
  if (spec.kind === 'consumers') return consumer;
  return true;
}

/** base64url JSON {uid, utid}: msal-node builds the account's home id ("uid.utid") from it. */
export function clientInfoOf(uid: string, utid: string) {
  return Buffer.from(JSON.stringify({ uid, utid })).toString('base64url');
}
