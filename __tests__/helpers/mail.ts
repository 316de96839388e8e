import { MockServer } from '@nocobase/test';
import { expect } from 'vitest';
import { startGoogleEmulator, startMicrosoftEmulator } from '../../dev/emulators';

export { corpusFiles } from './corpus';

export const GOOGLE = { clientId: '1234-sync.apps.googleusercontent.com', clientSecret: 'GOCSPX-sync-secret' };
export const MICROSOFT = { clientId: '6f1c2a4e-8b1d-4c3e-9a7f-2d5b8e0c1f3a', clientSecret: 'Abc8Q~sync-microsoft-secret' };

export type Google = Awaited<ReturnType<typeof startGoogleEmulator>>;
export type Microsoft = Awaited<ReturnType<typeof startMicrosoftEmulator>>;

/** Saves both emulator clients as the app's provider settings. */
export async function configureProviders(root: any) {
  const res = await root.resource('mailSettings').set({
    values: {
      googleClientId: GOOGLE.clientId,
      googleClientSecret: GOOGLE.clientSecret,
      microsoftClientId: MICROSOFT.clientId,
      microsoftClientSecret: MICROSOFT.clientSecret,
    },
  });
  expect(res.status).toBe(200);
}

/** The whole connect flow through the API and the emulator's consent page; returns the account view. */
export async function connectAccount(agent: any, emulator: Google | Microsoft, provider: 'gmail' | 'outlook', email: string, syncStartDate?: string) {
  const started = await agent.resource('mailAccounts').authorize({ values: { provider, ...(syncStartDate ? { syncStartDate } : {}) } });
  expect(started.status).toBe(200);
  const back = new URL(await emulator.consent(started.body.data.url, { email, decision: 'allow' }));
  const done = await agent.resource('mailAccounts').complete({ values: Object.fromEntries(back.searchParams) });
  expect(done.status).toBe(200);
  return done.body.data.account;
}

/** What the app stored for an account, in the shape the emulators report mailboxes. */
export async function storedMailbox(app: MockServer, accountId: number) {
  const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { accountId }, raw: true });
  const json = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
  return rows
    .map((r) => ({
      id: r.providerMessageId,
      threadId: r.threadId,
      labelIds: [...(json(r.folderIds) || [])].sort(),
      read: Boolean(r.read),
      starred: Boolean(r.starred),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function pluginOf(app: MockServer): any {
  return app.pm.get('email-manager');
}
