import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerOf } from '../../dev/emulators/shared/mime';
import AddWorkflowColumns from '../../src/server/migrations/20261215000000-add-workflow-columns';
import { pluginOf } from '../helpers/mail';
import { addressesOf, INVOICE, lastSentMime, originalRow, OWNER, PROVIDERS, sendCalls, sendWorld, SendWorld } from '../helpers/send';
import { createWorkflow, EXECUTION_STATUS, JOB_STATUS, jobsOf, setWorkflowAccess, WORKFLOW_PLUGINS, workflowPlugin } from '../helpers/workflows';

/**
 * The workflow node "Send email from mailbox" (S-WF-2) with NocoBase's Workflow plugin, against
 * both providers: variables resolved, the mail at the provider and in Sent, the job resolved with
 * its ids; a reply in the received mail's thread; a job run again sends once; an account that
 * must be reauthorized, one whose owner has not allowed workflows and a bad address fail the job
 * with their message.
 */
describe('workflow node: Send email from mailbox', () => {
  let world: SendWorld;
  let app: MockServer;

  beforeAll(async () => {
    // The file manager installs its default storage before system-settings uploads the app's logo.
    world = await sendWorld('workflow-send', ['file-manager', ...WORKFLOW_PLUGINS]);
    app = world.app;
    for (const provider of PROVIDERS) await setWorkflowAccess(world.as.memberA, world.accounts[provider], true);
  });
  afterAll(() => world?.close());

  /** Runs a one-node workflow on `context` at once (as "Execute manually" does); answers its execution and job. */
  const run = async (config: object, context: object = {}) => {
    const workflow = await createWorkflow(app, 'email-received', {}, [{ type: 'email-send', config }], false);
    const processor = await workflowPlugin(app).trigger(workflow, context, { manually: true });
    const [job] = await jobsOf(app, processor.execution.id);
    return { workflow, processor, execution: processor.execution, job };
  };

  for (const provider of PROVIDERS) {
    describe(provider, () => {
      const fixed = () => ({ mode: 'fixed', accountId: world.accounts[provider] });

      it('sends a mail with its variables resolved: at the provider, in Sent, the job resolved with its ids', async () => {
        const before = sendCalls(world, provider);
        const { job } = await run(
          { account: fixed(), to: '{{$context.customer.email}}', cc: ['ops@client.test'], subject: 'Welcome, {{$context.customer.name}}', html: '<p>Hello {{$context.customer.name}}</p>' },
          { customer: { email: 'zoe@client.test', name: 'Zoe' } },
        );
        expect(job.status, JSON.stringify(job.result)).toBe(JOB_STATUS.RESOLVED);
        expect(job.result).toEqual({ providerMessageId: expect.any(String), messageId: expect.any(Number), threadId: expect.any(String) });
        expect(sendCalls(world, provider)).toBe(before + 1);
        const { mail } = lastSentMime(world, provider);
        expect(addressesOf(mail.to)).toEqual(['zoe@client.test']);
        expect(addressesOf(mail.cc)).toEqual(['ops@client.test']);
        expect(mail.subject).toBe('Welcome, Zoe');
        expect(mail.html).toContain('Hello Zoe');
        const stored = (await app.db.getRepository('mailMessages').findOne({ filterByTk: job.result.messageId })).toJSON();
        expect(stored).toMatchObject({ accountId: world.accounts[provider], box: 'sent', subject: 'Welcome, Zoe', providerMessageId: job.result.providerMessageId });
      });

      it('replies in the thread of the received mail, from the account that received it, with its files', async () => {
        const original = await originalRow(world, provider);
        // As the trigger lists them (Outlook's are read from the provider on first use).
        const listed = await world.as.memberA.get(`/api/mailAttachments:listOwn?messageId=${original.id}`);
        const files = listed.body.data.filter((a: any) => !a.inline).map((a: any) => ({ id: a.id, filename: a.filename, mimeType: a.mimeType, size: a.size }));
        expect(files.map((f: any) => f.filename)).toEqual(['invoice.pdf']);
        const { job } = await run(
          { account: { mode: 'triggering-user' }, replyToMessageId: '{{$context.message.id}}', html: '<p>Thanks, received.</p>', attachments: '{{$context.message.attachments}}' },
          { message: { id: original.id, accountId: world.accounts[provider], attachments: files } },
        );
        expect(job.status, JSON.stringify(job.result)).toBe(JOB_STATUS.RESOLVED);
        expect(job.result.threadId).toBe(original.threadId);
        const { mail } = lastSentMime(world, provider);
        expect(headerOf(mail.root, 'in-reply-to')).toBe('<order-1@customer.test>');
        expect(headerOf(mail.root, 'references')).toBe('<order-0@customer.test> <order-1@customer.test>');
        expect(addressesOf(mail.to)).toEqual(['alice@customer.test']);
        expect(mail.subject).toBe('Re: Order 42');
        expect(mail.attachments.filter((a) => !a.inline).map((a) => [a.filename, a.size])).toEqual(files.map((f: any) => [f.filename, INVOICE.length]));
      });

      it('sends once when the same job runs again (a retried or resumed execution)', async () => {
        const { execution, job } = await run({ account: fixed(), to: 'once@client.test', subject: 'Only once', html: '<p>1</p>' });
        expect(job.status).toBe(JOB_STATUS.RESOLVED);
        const calls = sendCalls(world, provider);
        // The execution's node runs again, as after a crash between the send and the job's save.
        await app.db.getRepository('executions').update({ filterByTk: execution.id, values: { status: EXECUTION_STATUS.STARTED } });
        const processor = workflowPlugin(app).createProcessor(await app.db.getRepository('executions').findOne({ filterByTk: execution.id }));
        await processor.prepare();
        await processor.run(processor.nodes[0]);
        const jobs = await jobsOf(app, execution.id);
        expect(jobs).toHaveLength(2);
        expect(jobs[1]).toMatchObject({ status: JOB_STATUS.RESOLVED, result: job.result });
        expect(sendCalls(world, provider)).toBe(calls);
        expect(await app.db.getRepository('mailMessages').count({ filter: { accountId: world.accounts[provider], subject: 'Only once' } })).toBe(1);
      });

      it('fails the job with the reason: reauthorize, no consent, a bad address', async () => {
        const accountId = world.accounts[provider];
        const calls = sendCalls(world, provider);
        await pluginOf(app).accounts.state.markReauthorize(accountId);
        try {
          const { job } = await run({ account: fixed(), to: 'x@client.test', subject: 'No', html: '<p>no</p>' });
          expect(job).toMatchObject({
            status: JOB_STATUS.FAILED,
            result: { message: `The email address ${OWNER[provider]} has an invalid grant. Please reauthorize your account.` },
          });
        } finally {
          await pluginOf(app).accounts.state.connected(accountId);
        }
        await setWorkflowAccess(world.as.memberA, accountId, false);
        try {
          const { job } = await run({ account: fixed(), to: 'x@client.test', subject: 'No', html: '<p>no</p>' });
          expect(job).toMatchObject({
            status: JOB_STATUS.FAILED,
            result: { message: `The mailbox ${OWNER[provider]} is not available to workflows: its owner has not allowed it`, field: 'account' },
          });
        } finally {
          await setWorkflowAccess(world.as.memberA, accountId, true);
        }
        const { job } = await run({ account: fixed(), to: 'not-an-address', subject: 'No', html: '<p>no</p>' });
        expect(job).toMatchObject({ status: JOB_STATUS.FAILED, result: { message: 'not-an-address is not a email format', field: 'to' } });
        expect(sendCalls(world, provider)).toBe(calls);
      });
    });
  }

  it("sends from the account of the user a record names, the address picking one of theirs", async () => {
    const before = sendCalls(world, 'outlook');
    const { job } = await run(
      { account: { mode: 'record-user', path: '{{$context.data.createdById}}', email: OWNER.outlook }, to: 'lee@client.test', subject: 'From the record owner', html: '<p>hi</p>' },
      { data: { createdById: world.as.users.memberA.id } },
    );
    expect(job.status, JSON.stringify(job.result)).toBe(JOB_STATUS.RESOLVED);
    expect(sendCalls(world, 'outlook')).toBe(before + 1);
    const { job: none } = await run(
      { account: { mode: 'record-user', path: '$context.data.createdById' }, to: 'lee@client.test', subject: 'x', html: 'x' },
      { data: { createdById: world.as.users.memberB.id } },
    );
    expect(none).toMatchObject({ status: JOB_STATUS.FAILED, result: { message: 'This user has no mailbox available to workflows' } });
  });

  it("sends the files of a record's attachment field", async () => {
    const uploaded = await world.as.root.post('/api/attachments:create').attach('file', INVOICE, { filename: 'terms.pdf', contentType: 'application/pdf' });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const { job } = await run(
      { account: { mode: 'fixed', accountId: world.accounts.gmail }, to: 'lee@client.test', subject: 'Terms', html: '<p>attached</p>', attachments: '{{$context.data.files}}' },
      { data: { files: [uploaded.body.data] } },
    );
    expect(job.status, JSON.stringify(job.result)).toBe(JOB_STATUS.RESOLVED);
    const { mail } = lastSentMime(world, 'gmail');
    expect(mail.attachments.map((a) => [a.filename, a.mimeType, a.content().equals(INVOICE)])).toEqual([['terms.pdf', 'application/pdf', true]]);
  });

  it('only the owner sets workflow access; the account view shows it', async () => {
    const accountId = world.accounts.gmail;
    await setWorkflowAccess(world.as.memberB, accountId, false, 404);
    await setWorkflowAccess(world.as.root, accountId, false, 404);
    await setWorkflowAccess(world.as.memberA, accountId, 'yes' as any, 400);
    const res = await world.as.memberA.resource('mailAccounts').listOwn();
    expect(res.body.data.find((a: any) => a.id === accountId)).toMatchObject({ workflowAccess: true });
    expect(JSON.stringify(res.body.data)).not.toMatch(/credentials|refresh_token|access_token/);
  });

  it('checks the node config when the editor saves it', async () => {
    const workflow = await createWorkflow(app, 'email-received', {}, [], false);
    const res = await world.as.root.post(`/api/workflows/${workflow.id}/nodes:create`).send({ type: 'email-send', config: { account: { mode: 'fixed' } } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('Choose the account that sends');
  });

  // Last: it drops and re-adds the columns where the dialect can (workflow access is off afterwards).
  it('the upgrade adds the columns and the table, and stamps accounts past their first import', async () => {
    const accounts = app.db.getCollection('mailAccounts');
    const table = accounts.model.getTableName();
    const queryInterface = app.db.sequelize.getQueryInterface();
    const column = (field: string) => (accounts.model.rawAttributes[field] as any).field;
    // SQLite drops a column by copying the table, which Sequelize gets wrong with this table's unique index.
    if (app.db.sequelize.getDialect() === 'sqlite') await accounts.model.update({ importedAt: null, workflowAccess: false }, { where: {} });
    else for (const field of ['workflowAccess', 'importedAt']) await queryInterface.removeColumn(table, column(field));
    await app.db.getCollection('mailWorkflowFirings').removeFromDb({ dropCollection: false } as any);
    await new AddWorkflowColumns({ app, db: app.db, plugin: pluginOf(app) } as any).up();
    const columns = await queryInterface.describeTable(table);
    expect(columns[column('workflowAccess')]).toBeTruthy();
    expect(await app.db.getCollection('mailWorkflowFirings').existsInDb()).toBe(true);
    const rows = await app.db.getRepository('mailAccounts').find({ filter: { id: Object.values(world.accounts) } });
    expect(rows.map((r: any) => [Boolean(r.get('importedAt')), Boolean(r.get('workflowAccess'))])).toEqual([
      [true, false],
      [true, false],
    ]);
  });
});
