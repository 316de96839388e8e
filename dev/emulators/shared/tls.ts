/**
 * The emulators' TLS certificate (dev/emulators/tls), created on first use when postinstall did
 * not (no openssl then, or the files were deleted since).
 */
import fs from 'node:fs';
import { CERT_PATH, ensureCert, KEY_PATH } from '../tls/ensure-cert.mjs';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  certPath: string;
}

export function loadTls(): TlsFiles {
  if (ensureCert()) {
    // NODE_EXTRA_CA_CERTS is read at process start: a process already running does not trust a
    // certificate made now, so SDK calls from it will fail with a certificate error.
    console.warn(
      `[emulators] created ${CERT_PATH}; processes started before now do not trust it. ` +
        'Restart them with NODE_EXTRA_CA_CERTS pointing at it (npm test and npm start do).',
    );
  }
  return { cert: fs.readFileSync(CERT_PATH), key: fs.readFileSync(KEY_PATH), certPath: CERT_PATH };
}
