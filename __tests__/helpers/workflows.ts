/**
 * Workflows in the server tests: the app's plugins with NocoBase's Workflow plugin, workflows
 * and nodes made as the workflow editor saves them, their executions and jobs, and waiting on a
 * condition (never a fixed sleep).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockServer } from '@nocobase/test';
import { expect } from 'vitest';
import { USER_PLUGINS } from './app';
import { pluginOf } from './mail';

export const WORKFLOW_PLUGINS = [...USER_PLUGINS, 'workflow'];

export const EXECUTION_STATUS = { STARTED: 0, RESOLVED: 1, FAILED: -1, ERROR: -2 } as const;
export const JOB_STATUS = { RESOLVED: 1, FAILED: -1, ERROR: -2 } as const;

export const workflowPlugin = (app: MockServer): any => app.pm.get('workflow');

/**
 * On SQLite, the app of this test file in a database file of its own instead of in memory. The
 * Workflow plugin starts executions in transactions of its own while a sync commits its steps;
 * SQLite in memory has one connection for all of them ("cannot start a transaction within a
 * transaction"), a file gives each transaction its connection, as in a real installation. Call
 * at the top of the file; answers the cleanup for afterAll.
 */
export function sqliteInFile(name: string) {
  if ((process.env.DB_DIALECT || 'sqlite') !== 'sqlite') return () => undefined;
  const file = path.join(os.tmpdir(), `email-manager-${name}-${process.pid}.sqlite`);
  fs.rmSync(file, { force: true });
  process.env.DB_STORAGE = file;
  return () => fs.rmSync(file, { force: true });
}

/** A workflow of `type` with `config`, enabled unless told, and these nodes in a chain. */
export async function createWorkflow(app: MockServer, type: string, config: object, nodes: { type: string; config: object }[] = [], enabled = true) {
  const workflow: any = await app.db.getCollection('workflows').model.create({ title: `${type} test`, type, enabled, config });
  let upstream: any = null;
  for (const node of nodes) {
    const created = await workflow.createNode({ ...node, upstreamId: upstream?.id ?? null });
    if (upstream) await upstream.setDownstream(created);
    upstream = created;
  }
  return workflow;
}

/** Executions of a workflow, oldest first, as plain objects. */
export async function executionsOf(app: MockServer, workflowId: number | string): Promise<any[]> {
  const rows = await app.db.getRepository('executions').find({ filter: { workflowId }, sort: ['createdAt', 'id'] });
  return rows.map((r: any) => r.toJSON());
}

export async function jobsOf(app: MockServer, executionId: number | string): Promise<any[]> {
  const rows = await app.db.getRepository('jobs').find({ filter: { executionId }, sort: ['id'] });
  return rows.map((r: any) => r.toJSON());
}

/** Firings the trigger claimed for a workflow (one per message it started the workflow for). */
export async function firingsOf(app: MockServer, workflowId: number | string) {
  return app.db.getRepository('mailWorkflowFirings').count({ filter: { workflowId } });
}

/** Polls `check` until it answers true; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until every new-mail event heard so far is handled and every execution it started has
 * ended: after this, counting executions says how many the trigger fired.
 */
export async function settled(app: MockServer) {
  await pluginOf(app).workflowMail?.idle();
  await waitFor('the workflow executions to end', async () => {
    // Events handed to the dispatcher are executions once it is idle (or refused, as a stack limit does).
    if (!workflowPlugin(app).dispatcher.idle) return false;
    const executions = await app.db.getRepository('executions').find({ fields: ['status', 'eventKey'] });
    const fired = executions.filter((e: any) => String(e.get('eventKey') || '').startsWith('email-received:'));
    return fired.every((e: any) => e.get('status') !== EXECUTION_STATUS.STARTED && e.get('status') != null);
  });
}

/** The owner turns workflow access of an account on or off through the API. */
export async function setWorkflowAccess(agent: any, accountId: number, allowed: boolean, status = 200) {
  const res = await agent.post(`/api/mailAccounts:setWorkflowAccess?filterByTk=${accountId}`).send({ allowed });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}
