// Creates the emulators' self-signed TLS certificate (localhost + 127.0.0.1) when it is missing.
// The Microsoft emulators must speak https: msal-node refuses http authorities and the Graph
// client only sends the Authorization header to https hosts. The certificate is generated per
// machine, never committed; Node trusts it through NODE_EXTRA_CA_CERTS (see vitest.config.mts).
// Runs from postinstall and ensure-installed, because NODE_EXTRA_CA_CERTS is read only when a
// process starts: a certificate created later is not trusted by processes already running.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TLS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CERT_PATH = path.join(TLS_DIR, 'cert.pem');
export const KEY_PATH = path.join(TLS_DIR, 'key.pem');

/** Returns true when a new certificate was written, false when one was already there. */
export function ensureCert() {
  if (fs.existsSync(CERT_PATH) && fs.existsSync(KEY_PATH)) return false;
  // Both files are written together; a half pair (one deleted by hand) is replaced.
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', KEY_PATH, '-out', CERT_PATH, '-days', '3650',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureCert() ? `Created ${path.relative(process.cwd(), CERT_PATH)}` : 'Emulator certificate already present');
}
