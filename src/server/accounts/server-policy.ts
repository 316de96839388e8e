/**
 * Which mail servers a user may make the NocoBase server talk to (S-IMAP-1). A user types the
 * host, so without a rule they could point it at the app's own network (SSRF: an internal
 * database, a cloud metadata address, an admin port). With the admin's allow-list, only hosts on
 * it; without one, only hosts whose every address is public: loopback, private, link-local,
 * carrier-grade NAT, unique-local and unspecified ranges are refused.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { ServerEndpoint } from '../../shared/accounts-api';
import { hostAllowed } from '../../shared/server-hosts';
import { UserError } from '../errors';
import type { PasswordLogin } from '../providers/types';
import type { ServerPolicy } from '../settings/settings-service';

export const SERVERS_OFF_MESSAGE = 'Other mail servers (IMAP/SMTP) are turned off. Ask your administrator.';

/** Addresses a mail server of the internet never has. */
const NON_PUBLIC = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
] as const) {
  NON_PUBLIC.addSubnet(prefix, bits, 'ipv6');
}

/** The addresses `host` stands for (itself when it is an IP address). */
async function addressesOf(host: string): Promise<{ address: string; family: number }[]> {
  const family = net.isIP(host);
  if (family) return [{ address: host, family }];
  try {
    return await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UserError('The server name {{host}} could not be found (DNS)', 400, 'host', { host });
  }
}

async function assertHostAllowed(endpoint: ServerEndpoint, policy: ServerPolicy) {
  const host = endpoint.host.toLowerCase();
  if (policy.allowedHosts.length) {
    if (!hostAllowed(host, policy.allowedHosts)) {
      throw new UserError('The server {{host}} is not on the list your administrator allows', 400, 'host', { host });
    }
    return;
  }
  for (const { address, family } of await addressesOf(host)) {
    if (NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
      throw new UserError('The server {{host}} is on a private network; your administrator can allow it in Email settings', 400, 'host', { host });
    }
  }
}

/** Throws a UserError unless other mail servers are on and both of the login's hosts pass the policy. */
export async function assertServersAllowed(login: Pick<PasswordLogin, 'imap' | 'smtp'>, policy: ServerPolicy) {
  if (!policy.enabled) throw new UserError(SERVERS_OFF_MESSAGE, 400, 'provider');
  await assertHostAllowed(login.imap, policy);
  await assertHostAllowed(login.smtp, policy);
}
