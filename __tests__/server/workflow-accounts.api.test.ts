import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWorkflowAccess, WORKFLOW_PLUGINS } from '../helpers/workflows';
import { mailWorld, MailWorld } from '../helpers/world';

/**
 * mailAccounts:listForWorkflows, the workflow editor's account pickers: only accounts whose
 * owner allows workflows, with the owner's name, and only to roles that may edit workflows.
 */
describe('mailAccounts:listForWorkflows', () => {
  let w: MailWorld<'ann' | 'bob'>;
  const list = (agent: any) => agent.get('/api/mailAccounts:listForWorkflows');

  beforeAll(async () => {
    w = await mailWorld({
      google: true,
      plugins: WORKFLOW_PLUGINS,
      users: { google: ['ann@gmail.test', 'bob@gmail.test'] },
      connect: {
        ann: { provider: 'gmail', email: 'ann@gmail.test', by: 'memberA' },
        bob: { provider: 'gmail', email: 'bob@gmail.test', by: 'memberB' },
      },
    });
    await setWorkflowAccess(w.as.memberA, w.accounts.ann, true);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('lists the accounts that allow workflows, any owner\'s, to an admin and root', async () => {
    for (const agent of [w.as.admin, w.as.root]) {
      const res = await list(agent);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.data).toEqual([
        { id: w.accounts.ann, email: 'ann@gmail.test', provider: 'gmail', userId: w.as.users.memberA.id, userName: 'member-a' },
      ]);
    }
  });

  it('follows the owner\'s consent', async () => {
    await setWorkflowAccess(w.as.memberB, w.accounts.bob, true);
    await setWorkflowAccess(w.as.memberA, w.accounts.ann, false);
    expect((await list(w.as.admin)).body.data.map((a: any) => a.email)).toEqual(['bob@gmail.test']);
    await setWorkflowAccess(w.as.memberA, w.accounts.ann, true);
  });

  it('refuses a role that cannot edit workflows, and anonymous users', async () => {
    expect((await list(w.as.memberA)).status).toBe(403);
    expect((await list(w.as.anonymous)).status).toBe(401);
  });
});
