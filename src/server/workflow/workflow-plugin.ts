/**
 * The part of NocoBase's Workflow plugin (@nocobase/plugin-workflow 2.x) this plugin uses, as
 * local types: the plugin is optional (Email manager loads without it), so nothing here imports
 * it. The shapes follow its server API: registerTrigger / registerInstruction take a class
 * constructed with the workflow plugin, `trigger(workflow, context, options)` hands an event to
 * its dispatcher (asynchronous workflows: queued, executed later), an instruction's `run`
 * answers a job `{ status, result }`, and `processor.getParsedValue` resolves the variables of
 * a node's config.
 */
import type Application from '@nocobase/server';

/** The workflow plugin's name in the plugin manager. */
export const WORKFLOW_PLUGIN = 'workflow';

/** Job statuses (JOB_STATUS of @nocobase/plugin-workflow). */
export const JOB_STATUS = { PENDING: 0, RESOLVED: 1, FAILED: -1, ERROR: -2 } as const;

export interface WorkflowModelLike {
  id: number | string;
  key: string;
  type: string;
  enabled: boolean;
  config: Record<string, unknown> | null;
  createdById?: number | null;
  get(field: string): unknown;
}

export interface TriggerEventOptions {
  /** Unique per execution (executions.eventKey): the dispatcher creates one execution per key. */
  eventKey?: string;
  /** Executions that led to this event; the plugin refuses to start a workflow found in it again. */
  stack?: (number | string)[];
}

export interface WorkflowPluginLike {
  enabled: boolean;
  app: Application;
  /** Enabled workflows by id. */
  enabledCache: Map<number | string, WorkflowModelLike>;
  registerTrigger(type: string, trigger: new (plugin: WorkflowPluginLike) => object): void;
  registerInstruction(type: string, instruction: new (plugin: WorkflowPluginLike) => object): void;
  trigger(workflow: WorkflowModelLike, context: object, options?: TriggerEventOptions): unknown;
}

export interface FlowNodeLike {
  id: number | string;
  key: string;
  config: Record<string, unknown> | null;
}

export interface ExecutionLike {
  id: number | string;
  workflowId: number | string;
  context: Record<string, unknown> | null;
  stack?: (number | string)[] | null;
  workflow?: WorkflowModelLike;
}

export interface ProcessorLike {
  execution: ExecutionLike;
  getParsedValue(value: unknown, sourceNodeId?: number | string): unknown;
  getScope(sourceNodeId?: number | string): { $scopes: Record<string, unknown> } & Record<string, unknown>;
  findBranchParentNode(node: FlowNodeLike): FlowNodeLike | null;
}

export interface JobLike {
  status: number;
  result?: unknown;
}

/** The enabled workflow plugin, or null (not installed, or disabled). */
export function workflowPluginOf(app: Application): WorkflowPluginLike | null {
  const plugin = app.pm.get(WORKFLOW_PLUGIN) as unknown as WorkflowPluginLike | undefined;
  return plugin?.enabled && typeof plugin.registerTrigger === 'function' ? plugin : null;
}
