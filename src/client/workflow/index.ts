/**
 * Mail in workflows, client half: the trigger "Email received" and the node "Send email from
 * mailbox" in the workflow editor. Registered only when the Workflow plugin's client is loaded;
 * without it Email manager loads as before.
 */
import { EMAIL_RECEIVED_TRIGGER, EMAIL_SEND_INSTRUCTION } from '../../shared/workflow-api';
import type { UseRequester } from './connect';
import { createEmailReceivedTrigger } from './email-received-trigger';
import { createEmailSendInstruction } from './email-send-instruction';
import { findWorkflowModule, findWorkflowPlugin, type WorkflowClientModule } from './workflow-module';

/** Answers whether the parts were registered. */
export function registerWorkflowParts(
  app: { pm: object },
  /** NocoBase's useAPIClient, from the plugin entry. */
  useRequester: UseRequester,
  findModule: () => WorkflowClientModule | null = findWorkflowModule,
): boolean {
  const plugin = findWorkflowPlugin(app.pm);
  const workflow = plugin && findModule();
  if (!plugin || !workflow) return false;
  plugin.registerTrigger(EMAIL_RECEIVED_TRIGGER, createEmailReceivedTrigger(workflow, useRequester));
  plugin.registerInstruction(EMAIL_SEND_INSTRUCTION, createEmailSendInstruction(workflow, useRequester));
  return true;
}
