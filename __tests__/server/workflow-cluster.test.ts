import { MockCluster, MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_ADDED_EVENT } from '../../src/server/constants';
import { pluginOf } from '../helpers/mail';
import { eml } from '../helpers/threads';
import { mailWorld, MailWorld } from '../helpers/world';
import { createWorkflow, executionsOf, setWorkflowAccess, settled, waitFor, WORKFLOW_PLUGINS, workflowPlugin } from '../helpers/workflows';

/**
 * S-WF-1 in a cluster: two app instances with the Workflow plugin on one database (PostgreSQL,
 * or the server database of the pass). Both sync each account at once (one runs), both hear the
 * same new mail announced again at the same moment: every new mail starts the workflow once,
 * on both providers.
 */
const dialect = process.env.DB_DIALECT === 'mariadb' || process.env.DB_DIALECT === 'mysql' ? process.env.DB_DIALECT : 'postgres';
const OWNER = { gmail: 'kai@gmail.test', outlook: 'kai@outlook.test' } as const;
type Provider = keyof typeof OWNER;

describe(`Email received on two instances of one ${dialect} database`, () => {
  let w: MailWorld<Provider>;
  let cluster: MockCluster;
  let workflow: any;

  beforeAll(async () => {
    w = await mailWorld({
      seed: 'workflow-cluster',
      google: true,
      microsoft: true,
      plugins: WORKFLOW_PLUGINS,
      users: { google: [OWNER.gmail], microsoft: [OWNER.outlook] },
      cluster: { nodes: 2, dialect },
      connect: { gmail: { provider: 'gmail', email: OWNER.gmail }, outlook: { provider: 'outlook', email: OWNER.outlook } },
    });
    cluster = w.cluster!;
    workflow = await createWorkflow(w.app, 'email-received', {});
    // The other instance learns of the enabled workflow through the cluster's sync messages.
    await waitFor('both instances to know the workflow', () => cluster.nodes.every((node) => workflowPlugin(node).enabledCache.has(workflow.id)));
  });
  afterAll(() => w?.close());

  const settledAll = () => Promise.all(cluster.nodes.map((node: MockServer) => settled(node)));
  const syncOnBoth = async (provider: Provider, kind: string) => {
    const results = await Promise.all(cluster.nodes.map((node: MockServer) => pluginOf(node).scheduler.runLocked(w.accounts[provider], kind)));
    expect(results.filter(Boolean).map((r: any) => r.outcome)).toEqual(['ok']);
    await settledAll();
  };

  for (const provider of ['gmail', 'outlook'] as Provider[]) {
    it(`${provider}: fires once per new mail, whichever instance syncs and however often it is announced`, async () => {
      await setWorkflowAccess(w.as.memberA, w.accounts[provider], true);
      await syncOnBoth(provider, 'initial');
      for (let i = 0; i < 3; i++) {
        const raw = await eml({ from: `c${i}@client.test`, to: OWNER[provider], subject: `Cluster ${provider} ${i}`, text: 'x', date: new Date() });
        if (provider === 'gmail') w.google.addMessage(OWNER.gmail, { raw, labelIds: ['INBOX', 'UNREAD'] });
        else w.microsoft.addMessage(OWNER.outlook, { raw, folder: 'inbox' });
      }
      await syncOnBoth(provider, 'incremental');
      const ids: any[] = await w.app.db.getCollection('mailMessages').model.findAll({ where: { accountId: w.accounts[provider] }, attributes: ['providerMessageId'], raw: true });
      // Both instances hear every mail of the account announced again, at the same moment.
      for (const node of cluster.nodes) {
        node.emit(MESSAGES_ADDED_EVENT, { accountId: w.accounts[provider], providerMessageIds: ids.map((r) => r.providerMessageId), phase: 'new' });
      }
      await settledAll();
      const executions = (await executionsOf(w.app, workflow.id)).filter((e) => e.context.message.accountId === w.accounts[provider]);
      expect(executions.map((e) => e.context.message.subject).sort()).toEqual([0, 1, 2].map((i) => `Cluster ${provider} ${i}`));
    });
  }
});
