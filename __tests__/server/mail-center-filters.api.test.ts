import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import IndexParticipantNames from '../../src/server/migrations/20261210000000-index-participant-names';
import RenameLabelIdsToFolderIds from '../../src/server/migrations/20261211000000-rename-label-ids-to-folder-ids';
import { pluginOf } from '../helpers/mail';
import { mailCenterMailbox } from '../helpers/threads';
import { Agents, mailWorld, MailWorld } from '../helpers/world';

/**
 * The mail center's From and To filters (S-CENTER-4) read the participants index, the table the
 * Email table block's address conditions read, instead of a LIKE over the mail's JSON address
 * columns. They match what that LIKE matched: a part of an address or of a display name, in
 * any case, each in its own roles (From; To, Cc and Bcc). Mail indexed before display names
 * were kept gets them from the upgrade's migration.
 */
const OWNER = 'filters@gmail.test';

describe('mail center From / To filters', () => {
  let w: MailWorld<'owner'>;
  let app: MockServer;
  let as: Agents;
  let accountId: number;

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'center-filters',
      google: true,
      users: { google: [OWNER] },
      // The second mail is the owner's reply to Alice, in Sent.
      mailboxes: async ({ google }) => google.seed(OWNER, { eml: await mailCenterMailbox(OWNER), labelIds: (i) => (i === 1 ? ['SENT'] : ['INBOX', 'UNREAD']) }),
      connect: { owner: { provider: 'gmail', email: OWNER } },
      sync: true,
    });
    ({ app, as } = w);
    accountId = w.accounts.owner;
  });
  afterAll(() => w?.close());

  const subjects = async (params: Record<string, unknown>) => {
    const res = await as.memberA.get('/api/mailMessages:threads').query({ accountId, box: 'all', ...params });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.map((r: any) => r.subject);
  };
  const count = async (params: Record<string, unknown>) =>
    (await as.memberA.get('/api/mailMessages:threadCount').query({ accountId, box: 'all', ...params })).body.data.count;

  it('matches a part of a display name or of an address, in any case, in the role asked for', async () => {
    // Display names, whole or in part ("Alice Customer <alice@customer.test>" sent two of the mails).
    expect(await subjects({ from: 'Alice Customer' })).toEqual(['Re: Order 42']);
    expect(await subjects({ from: 'ice cust' })).toEqual(['Re: Order 42']);
    // "Bob Buyer <bob@customer.test>" is in Cc: only his name holds "buyer".
    expect(await subjects({ to: 'BUYER' })).toEqual(['Re: Order 42']);
    // Addresses, in part and in any case; To covers the owner's own sent reply.
    expect(await subjects({ from: 'ALICE@Customer.TEST' })).toEqual(['Re: Order 42']);
    expect(await subjects({ from: '@vendor' })).toEqual(['Price list']);
    expect(await subjects({ to: 'alice@' })).toEqual(['Re: Order 42']);
    expect(await subjects({ to: OWNER.toUpperCase() })).toEqual(['Lunch?', 'Price list', 'Re: Order 42']);
    // Each role on its own: Bob is only copied, Carol only sends.
    expect(await subjects({ from: 'bob' })).toEqual([]);
    expect(await subjects({ to: 'carol' })).toEqual([]);
    // LIKE's wildcards are plain text.
    expect(await subjects({ from: '%' })).toEqual([]);
    expect(await subjects({ from: 'a_ice' })).toEqual([]);
    // With the other filters, and in the total.
    expect(await subjects({ from: 'carol', q: 'prices' })).toEqual(['Price list']);
    expect(await subjects({ from: 'carol', q: 'lunch' })).toEqual([]);
    expect(await subjects({ to: 'customer.test', box: 'sent' })).toEqual(['Re: Order 42']);
    expect(await count({ from: 'alice customer' })).toBe(1);
    expect(await count({ to: 'customer.test', from: OWNER })).toBe(1);
  });

  it('finds display names again after the upgrade fills them in, whether the column was there or not', async () => {
    const participants = app.db.getCollection('mailMessageParticipants').model;
    const migrate = () => new IndexParticipantNames({ app, db: app.db, plugin: pluginOf(app) } as any).up();
    // Indexed before names were kept, the column already synced: empty.
    await participants.update({ name: null }, { where: {} });
    expect(await subjects({ from: 'alice customer' })).toEqual([]);
    // The address still matches meanwhile.
    expect(await subjects({ from: 'alice@' })).toEqual(['Re: Order 42']);
    await migrate();
    expect(await subjects({ from: 'alice customer' })).toEqual(['Re: Order 42']);
    // A database from before the column: the migration adds it.
    await app.db.sequelize.getQueryInterface().removeColumn(participants.getTableName() as any, 'name');
    await migrate();
    expect(await subjects({ from: 'alice customer' })).toEqual(['Re: Order 42']);
    expect(await subjects({ to: 'buyer' })).toEqual(['Re: Order 42']);
  });

  it('the upgrade moves mailMessages.labelIds into folderIds, whether the upgrade sync added folderIds or not', async () => {
    const messages = app.db.getCollection('mailMessages');
    const queryInterface = app.db.sequelize.getQueryInterface();
    const table = messages.getTableNameWithSchema() as any;
    const migrate = () => new RenameLabelIdsToFolderIds({ app, db: app.db, plugin: pluginOf(app) } as any).up();
    const places = async () => {
      const rows: any[] = await messages.model.findAll({ attributes: ['id', 'folderIds'], raw: true, order: [['id', 'ASC']] });
      return rows.map((r) => [r.id, typeof r.folderIds === 'string' ? JSON.parse(r.folderIds) : r.folderIds]);
    };
    const before = await places();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every(([, ids]) => Array.isArray(ids) && ids.length > 0)).toBe(true);
    const inInbox = await subjects({ folderId: 'INBOX' });
    expect(inInbox.length).toBeGreaterThan(0);

    // A database from before the rename, where the column was labelIds and nothing else.
    await queryInterface.renameColumn(table, 'folderIds', 'labelIds');
    await migrate();
    expect(await places()).toEqual(before);
    expect(Object.keys(await queryInterface.describeTable(table))).not.toContain('labelIds');
    expect(await subjects({ folderId: 'INBOX' })).toEqual(inInbox);

    // The upgrade's sync already added an empty folderIds beside the old column.
    await queryInterface.renameColumn(table, 'folderIds', 'labelIds');
    await queryInterface.addColumn(table, 'folderIds', messages.model.rawAttributes.folderIds as any);
    await migrate();
    expect(await places()).toEqual(before);
    expect(Object.keys(await queryInterface.describeTable(table))).not.toContain('labelIds');
    // A second run (or a fresh database) changes nothing.
    await migrate();
    expect(await places()).toEqual(before);
  });
});
