/**
 * The "Send email from mailbox" node as the workflow plugin registers it (type
 * EMAIL_SEND_INSTRUCTION, config EmailSendConfig of src/shared/workflow-api.ts). It resolves the
 * config's variables (processor.getParsedValue), sends through workflow-send.ts and ends its job
 * resolved with { providerMessageId, messageId, threadId }, or failed with the reason in the
 * app's language. The send is keyed by execution, node and loop iteration, so a job run again
 * (a retried or resumed execution) answers the first send instead of sending twice.
 */
import { createHash } from 'node:crypto';
import type Application from '@nocobase/server';
import type { EmailSendConfig, EmailSendFailure } from '../../shared/workflow-api';
import { NAMESPACE } from '../constants';
import { UserError } from '../errors';
import { sendConfigErrors } from './config';
import { valueAtPath } from './send-account';
import type { WorkflowMailer } from './workflow-send';
import { JOB_STATUS, type FlowNodeLike, type JobLike, type ProcessorLike, type WorkflowPluginLike } from './workflow-plugin';

/** The longest idempotency key send-requests.ts takes; a longer one (loops in loops) is hashed. */
const MAX_KEY_LENGTH = 128;

/** `wf:<execution>:<node>`, plus `:<loop node>.<index>` for each loop the node runs in. */
export function idempotencyKeyOf(processor: ProcessorLike, node: FlowNodeLike) {
  const scopes = processor.getScope(node.id).$scopes || {};
  const loops: string[] = [];
  for (let parent = processor.findBranchParentNode(node); parent; parent = processor.findBranchParentNode(parent)) {
    const index = (scopes[String(parent.key)] as { index?: unknown } | undefined)?.index;
    if (typeof index === 'number') loops.unshift(`${parent.id}.${index}`);
  }
  const key = ['wf', processor.execution.id, node.id, ...loops].join(':');
  return key.length <= MAX_KEY_LENGTH ? key : `wf:${createHash('sha256').update(key).digest('hex')}`;
}

export function emailSendInstruction(app: Application, mailer: WorkflowMailer) {
  const failure = (error: UserError): EmailSendFailure => {
    const message = String(app.i18n.t(error.key, { ns: NAMESPACE, interpolation: { escapeValue: false }, ...(error.params || {}) }));
    return { message, ...(error.field ? { field: error.field } : {}) };
  };

  return class EmailSendInstruction {
    constructor(readonly workflow: WorkflowPluginLike) {}

    /** Checked by the plugin when the editor saves the node: field → message, or null. */
    validateConfig(config: Record<string, unknown>) {
      return sendConfigErrors(config);
    }

    async run(node: FlowNodeLike, _input: unknown, processor: ProcessorLike): Promise<JobLike> {
      const { execution } = processor;
      try {
        const config = processor.getParsedValue(node.config ?? {}, node.id) as EmailSendConfig;
        const scope = processor.getScope(node.id);
        const result = await mailer.send({
          config,
          context: execution.context,
          idempotencyKey: idempotencyKeyOf(processor, node),
          stack: [...(execution.stack || []), execution.id],
          authorId: Number(execution.workflow?.createdById) || null,
          parse: (text) => processor.getParsedValue(text, node.id),
          scope: (path) => valueAtPath(scope, path),
        });
        return { status: JOB_STATUS.RESOLVED, result };
      } catch (error) {
        if (error instanceof UserError) return { status: JOB_STATUS.FAILED, result: failure(error) };
        throw error;
      }
    }
  };
}
