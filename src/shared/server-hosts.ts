/**
 * Host names of mail servers (S-IMAP-1): what a user may type, and the admin's allow-list
 * (`mail.example.com`, `*.example.com` for any name under it, or an IP address). Checked
 * character by character: no regex, so any input is read in linear time.
 */

const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

const isLabelChar = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-' || c === '_';

/** A DNS name (letters, digits, `-`, `_`, dot-separated labels) or an IPv4/IPv6 literal, lower-case. */
export function isHostName(host: string): boolean {
  if (!host || host.length > MAX_HOST_LENGTH) return false;
  if (host.includes(':')) return isIpv6(host);
  const labels = host.split('.');
  return labels.every((label) => label.length > 0 && label.length <= MAX_LABEL_LENGTH && [...label].every(isLabelChar) && label[0] !== '-');
}

function isIpv6(host: string): boolean {
  if (host.length > 45) return false;
  return [...host].every((c) => c === ':' || c === '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}

/** An allow-list entry: a host name, or `*.` and a domain. */
export function isHostPattern(pattern: string): boolean {
  return pattern.startsWith('*.') ? isHostName(pattern.slice(2)) : isHostName(pattern);
}

/** Whether `host` is allowed by `patterns` (exact names, or `*.domain` for names under domain). */
export function hostAllowed(host: string, patterns: string[]): boolean {
  const name = host.toLowerCase();
  return patterns.some((p) => (p.startsWith('*.') ? name.endsWith(p.slice(1)) && name.length > p.length - 1 : name === p));
}
