/**
 * The local Google and Microsoft that `npm start` (and the browser tests) run next to NocoBase:
 * both emulators with one OAuth client each and a few demo mailboxes, and the app's Email
 * settings pointed at them, so "Connect Gmail/Outlook" works with no internet and no cloud
 * account.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startGoogleEmulator, startMicrosoftEmulator } from './emulators';

/** Generated mail per demo mailbox, spread over the past months, so a new user sees a working mailbox. */
const DEMO_MAIL = { large: 250, small: 40 };
/** The real-world MIME corpus, when this checkout sits next to it: added to Ada's Gmail. */
const CORPUS = path.resolve(__dirname, '../../shared/fixtures/mime');

export const DEV_GOOGLE_CLIENT = {
  clientId: '100000000001-emailmanager.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-local-emulator-secret',
};
export const DEV_MICROSOFT_CLIENT = {
  clientId: '0f3c9a52-7d1e-4b8a-9c6f-2e4d5a6b7c8d',
  clientSecret: 'Loc8Q~local-emulator-secret-value',
};

/** Mailboxes the consent pages offer. */
export const DEV_USERS = {
  gmail: [
    { email: 'ada@gmail.test', displayName: 'Ada Lovelace', aliases: [{ email: 'ada@analytical.test', displayName: 'Ada (Analytical Engines)', verificationStatus: 'accepted' }] },
    { email: 'grace@gmail.test', displayName: 'Grace Hopper' },
  ],
  outlook: [
    { email: 'alan@outlook.test', displayName: 'Alan Turing' },
    { email: 'katherine@contoso.test', displayName: 'Katherine Johnson' },
  ],
};

export interface DevEmulators {
  /** EMAIL_MANAGER_* variables for the app process. */
  env: Record<string, string>;
  google: Awaited<ReturnType<typeof startGoogleEmulator>>;
  microsoft: Awaited<ReturnType<typeof startMicrosoftEmulator>>;
  /** Signs in as the admin and saves the emulator clients (and `extra` settings) as the app's Email settings. */
  configureApp(appUrl: string, admin: { email: string; password: string }, extra?: Record<string, unknown>): Promise<void>;
  describe(): string;
  close(): Promise<void>;
}

export async function startDevEmulators(options: { googlePort?: number; microsoftPort?: number; mail?: boolean } = {}): Promise<DevEmulators> {
  const google = await startGoogleEmulator({ port: options.googlePort ?? 0, seed: 'npm-start' } as any);
  const microsoft = await startMicrosoftEmulator({ port: options.microsoftPort ?? 0, seed: 'npm-start' } as any);
  google.addClient(DEV_GOOGLE_CLIENT);
  microsoft.addClient(DEV_MICROSOFT_CLIENT);
  for (const user of DEV_USERS.gmail) google.addUser(user as any);
  for (const user of DEV_USERS.outlook) microsoft.addUser(user);
  if (options.mail !== false) await preloadMail(google, microsoft);

  return {
    env: { ...google.env, ...microsoft.env },
    google,
    microsoft,
    async configureApp(appUrl, admin, extra = {}) {
      const token = await signInToApp(appUrl, admin);
      const res = await fetch(`${appUrl}/api/mailSettings:set`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({
          googleClientId: DEV_GOOGLE_CLIENT.clientId,
          googleClientSecret: DEV_GOOGLE_CLIENT.clientSecret,
          microsoftClientId: DEV_MICROSOFT_CLIENT.clientId,
          microsoftClientSecret: DEV_MICROSOFT_CLIENT.clientSecret,
          microsoftTenant: 'common',
          ...extra,
        }),
      });
      if (!res.ok) throw new Error(`Saving the emulator clients as Email settings failed: HTTP ${res.status} ${await res.text()}`);
    },
    describe() {
      const gmail = DEV_USERS.gmail.map((u) => u.email).join(', ');
      const outlook = DEV_USERS.outlook.map((u) => u.email).join(', ');
      return [
        `    Google:    ${google.url}  (emulator; mailboxes ${gmail})`,
        `    Microsoft: ${microsoft.url}  (emulator; mailboxes ${outlook})`,
      ].join('\n');
    },
    async close() {
      await Promise.all([google.close(), microsoft.close()]);
    },
  };
}

async function preloadMail(google: DevEmulators['google'], microsoft: DevEmulators['microsoft']) {
  const start = new Date(Date.now() - 60 * 24 * 3600 * 1000);
  const [ada, grace] = DEV_USERS.gmail;
  const [alan, katherine] = DEV_USERS.outlook;
  await google.generateMailbox(ada.email, { count: DEMO_MAIL.large, start, seed: 1 });
  await google.generateMailbox(grace.email, { count: DEMO_MAIL.small, start, seed: 2 });
  await microsoft.generateMailbox(alan.email, { count: DEMO_MAIL.large, start, seed: 3 });
  await microsoft.generateMailbox(katherine.email, { count: DEMO_MAIL.small, start, seed: 4 });
  if (fs.existsSync(CORPUS)) {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.eml')).map((f) => path.join(CORPUS, f));
    // Inside the default one-month window, so the first import shows them.
    google.seed(ada.email, { eml: files, dates: (i: number) => new Date(Date.now() - (i + 1) * 3600_000 * 5) });
  }
}

/** NocoBase's password sign-in; returns the session token. */
export async function signInToApp(appUrl: string, admin: { email: string; password: string }) {
  const res = await fetch(`${appUrl}/api/auth:signIn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Authenticator': 'basic' },
    body: JSON.stringify({ account: admin.email, password: admin.password }),
  });
  const body: any = await res.json().catch(() => ({}));
  const token = body?.data?.token;
  if (!res.ok || !token) throw new Error(`Signing in to ${appUrl} as ${admin.email} failed: HTTP ${res.status}`);
  return token as string;
}
