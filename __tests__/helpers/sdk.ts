/**
 * Signing in to the emulators with the unmodified SDKs alone (googleapis' OAuth2 client, msal-node)
 * and clients pointed at them, so the mailbox tests do not depend on the plugin's provider code.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { google as googleapis } from 'googleapis';
import type { GoogleEmulator, MicrosoftEmulator } from '../../dev/emulators';

/** One file of the shared real-world MIME corpus (helpers/corpus.ts); a missing one fails loudly. */
export { corpusFile as fixture } from './corpus';

export const GOOGLE_CLIENT = { clientId: 'mailbox-tests.apps.googleusercontent.test', clientSecret: 'GOCSPX-mailbox', redirectUri: 'http://app.test/cb' };
export const MS_CLIENT = { clientId: '6a1f3c2e-0d4b-4e8a-9f1c-5b7d2e3a4c6f', clientSecret: 'Mb0x~secret', redirectUri: 'http://app.test/cb' };

export async function gmailFor(emulator: GoogleEmulator, email: string) {
  const oauth2 = new googleapis.auth.OAuth2({
    clientId: GOOGLE_CLIENT.clientId,
    clientSecret: GOOGLE_CLIENT.clientSecret,
    redirectUri: GOOGLE_CLIENT.redirectUri,
    endpoints: { oauth2AuthBaseUrl: `${emulator.url}/o/oauth2/v2/auth`, oauth2TokenUrl: `${emulator.url}/token`, oauth2RevokeUrl: `${emulator.url}/revoke` },
  });
  const url = oauth2.generateAuthUrl({ scope: ['https://mail.google.com/'], access_type: 'offline', login_hint: email });
  const back = new URL(await emulator.consent(url, { email, decision: 'allow' }));
  const { tokens } = await oauth2.getToken(back.searchParams.get('code')!);
  oauth2.setCredentials(tokens);
  const gmail = googleapis.gmail({ version: 'v1', auth: oauth2, rootUrl: `${emulator.url}/`, retry: false } as any);
  return { gmail, oauth2, token: tokens.access_token! };
}

/** A Gmail batch request as the plugin sends it (googleapis has no batch helper). */
export async function gmailBatch(emulator: GoogleEmulator, token: string, paths: { id: string; path: string; method?: string }[]) {
  const boundary = 'batch_test_boundary';
  const body =
    paths.map((p) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <${p.id}>\r\n\r\n${p.method || 'GET'} ${p.path}\r\n\r\n`).join('') + `--${boundary}--\r\n`;
  const res = await fetch(`${emulator.url}/batch/gmail/v1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
    body,
  });
  const text = await res.text();
  const answerBoundary = /boundary=([^;]+)/.exec(res.headers.get('content-type') || '')?.[1];
  const parts = answerBoundary
    ? text
        .split(`--${answerBoundary}`)
        .slice(1, -1)
        .map((chunk) => {
          const id = /Content-ID: <response-([^>]+)>/.exec(chunk)?.[1];
          const status = Number(/HTTP\/1\.1 (\d{3})/.exec(chunk)?.[1]);
          const retryAfter = /Retry-After: (\d+)/i.exec(chunk)?.[1];
          const json = chunk.slice(chunk.indexOf('{'), chunk.lastIndexOf('}') + 1);
          return { id, status, retryAfter, body: json ? JSON.parse(json) : undefined };
        })
    : [];
  return { status: res.status, contentType: res.headers.get('content-type'), parts, text };
}

export async function graphFor(emulator: MicrosoftEmulator, email: string) {
  const host = new URL(emulator.url).host;
  const cca = new ConfidentialClientApplication({
    auth: { clientId: MS_CLIENT.clientId, clientSecret: MS_CLIENT.clientSecret, authority: `${emulator.url}/common`, knownAuthorities: [host] },
  });
  const scopes = ['User.Read', 'Mail.ReadWrite', 'Mail.Send'];
  const url = await cca.getAuthCodeUrl({ scopes, redirectUri: MS_CLIENT.redirectUri, loginHint: email });
  const back = new URL(await emulator.consent(url, { email, decision: 'allow' }));
  const result = await cca.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes, redirectUri: MS_CLIENT.redirectUri });
  const token = result.accessToken;
  const client = Client.initWithMiddleware({
    baseUrl: emulator.graphUrl,
    customHosts: new Set([new URL(emulator.graphUrl).hostname]),
    authProvider: { getAccessToken: async () => token },
  });
  return { client, token };
}
