/**
 * Provider endpoints: the public ones by default, local emulators in tests and `npm start`
 * (S-SCOPE-5). Read at call time so a test can point a running app elsewhere.
 */
const trim = (url: string) => url.replace(/\/+$/, '');

export function googleEndpoints() {
  const accounts = trim(process.env.EMAIL_MANAGER_GOOGLE_ACCOUNTS_URL || 'https://accounts.google.com');
  const oauth = trim(process.env.EMAIL_MANAGER_GOOGLE_OAUTH_URL || 'https://oauth2.googleapis.com');
  const gmail = trim(process.env.EMAIL_MANAGER_GMAIL_URL || 'https://gmail.googleapis.com');
  return {
    authorize: `${accounts}/o/oauth2/v2/auth`,
    token: `${oauth}/token`,
    revoke: `${oauth}/revoke`,
    gmailRoot: `${gmail}/`,
    gmailBatch: `${gmail}/batch/gmail/v1`,
  };
}

export const PUBLIC_MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com';

export function microsoftEndpoints() {
  const authority = trim(process.env.EMAIL_MANAGER_MICROSOFT_AUTHORITY || PUBLIC_MICROSOFT_AUTHORITY);
  const graph = trim(process.env.EMAIL_MANAGER_GRAPH_URL || 'https://graph.microsoft.com');
  return { authority, graph, graphHost: new URL(graph).hostname };
}
