/**
 * The world of the "who can read whose mail" tests: a real app (acl on, real users and roles)
 * with, besides the user plugins, every installed NocoBase plugin that reads a collection by its
 * name (charts, export, custom variables, custom requests, the flow engine's record variables,
 * the AI employees' data previews), and two synced Gmail mailboxes: Ann's and Ben's, each with a
 * received mail and a sent one with Bcc; Ben also has a draft and a scheduled mail.
 */
import { MockServer } from '@nocobase/test';
import { expect } from 'vitest';
import { ALL_MAIL_SNIPPET } from '../../src/server/constants';
import { USER_PLUGINS } from './app';
import { ANN, BEN, twoMailboxes, TwoMailboxes } from './blocks-world';
import { eml } from './threads';

export { ANN, BEN };

/** Installed NocoBase plugins whose read paths the tests try (all present in node_modules here). */
export const READER_PLUGINS = ['flow-engine', 'data-source-main', 'data-visualization', 'action-export', 'custom-variables', 'action-custom-request', 'workflow', 'ai'];
/** The user plugins, with file-manager (which ai needs) before system-settings (whose install stores a logo with it). */
const BASE_PLUGINS = USER_PLUGINS.flatMap((name) => (name === 'system-settings' ? ['file-manager', name] : [name]));

const withBcc = (bcc: string, raw: Buffer) => Buffer.concat([Buffer.from(`Bcc: ${bcc}\r\n`), raw]);
const day = (n: number) => new Date(Date.UTC(2025, 4, n, 9));

async function mailbox(owner: string, peer: string, n: number): Promise<[Buffer, string[]][]> {
  return [
    [await eml({ from: peer, to: owner, subject: `To ${owner}`, text: 'Hello.', messageId: `<in-${n}@x.test>`, date: day(n) }), ['INBOX']],
    [withBcc(`secret-${n}@bcc.test`, await eml({ from: owner, to: peer, subject: `From ${owner}`, text: 'Reply.', messageId: `<out-${n}@x.test>`, date: day(n + 1) })), ['SENT']],
  ];
}

export interface ReadGrantsWorld extends TwoMailboxes {
  /** Ben's unsent mail: a draft and a scheduled mail. */
  benDraft: number;
  benScheduled: number;
}

export async function readGrantsWorld(seed: string): Promise<ReadGrantsWorld> {
  const world = await twoMailboxes(seed, { ann: await mailbox(ANN, 'peer@acme.test', 1), ben: await mailbox(BEN, 'peer@acme.test', 3) }, [...BASE_PLUGINS, ...READER_PLUGINS]);
  const { as, benAccount } = world;
  const draft = await as.memberB.post('/api/mailMessages:saveDraft').send({ accountId: benAccount, to: 'x@acme.test', bcc: 'hidden@bcc.test', subject: 'Ben draft', html: '<p>d</p>' });
  expect(draft.status, JSON.stringify(draft.body)).toBe(200);
  const scheduled = await as.memberB.post('/api/mailMessages:schedule').send({
    accountId: benAccount,
    to: 'x@acme.test',
    subject: 'Ben scheduled',
    html: '<p>s</p>',
    sendAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
  return { ...world, benDraft: Number(draft.body.data.id), benScheduled: Number(scheduled.body.data.id) };
}

/** Gives a role NocoBase's own View permission on mailMessages, with a data scope (Roles & permissions → Data sources). */
export async function giveScopedView(app: MockServer, roleName: string, key: string, filter: Record<string, unknown>) {
  await app.db.getRepository('dataSourcesRolesResources').create({
    values: {
      roleName,
      dataSourceKey: 'main',
      name: 'mailMessages',
      usingActionsConfig: true,
      actions: [{ name: 'view', scope: { key, name: key, resourceName: 'mailMessages', dataSourceKey: 'main', scope: filter } }],
    },
  });
}

/** Gives a role the all-mail snippet (or takes it away), as an administrator does in Roles & permissions. */
export async function grantAllMail(app: MockServer, roleName: string, on = true) {
  const roles = app.db.getRepository('roles');
  const role = await roles.findOne({ filterByTk: roleName });
  const snippets = ((role!.get('snippets') as string[]) || []).filter((s) => s.replace(/^!/, '') !== ALL_MAIL_SNIPPET);
  await roles.update({ filterByTk: roleName, values: { snippets: on ? [...snippets, ALL_MAIL_SNIPPET] : snippets } });
}

export const idsOf = (res: any) => ((res.body.data || []) as any[]).map((r) => r.id).sort((a: number, b: number) => a - b);
