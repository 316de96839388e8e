/**
 * Mail in NocoBase workflows (S-WF-1/2), wired only when the Workflow plugin is there and
 * enabled: the trigger "Email received" (email-received-trigger.ts, fed by received-events.ts
 * from MESSAGES_ADDED_EVENT) and the node "Send email from mailbox" (email-send-instruction.ts).
 * Without the Workflow plugin nothing is registered and nothing listens; Email manager works
 * as before. Enabling or disabling a plugin reloads the app, which runs this again.
 */
import type Application from '@nocobase/server';
import { EMAIL_RECEIVED_TRIGGER, EMAIL_SEND_INSTRUCTION } from '../../shared/workflow-api';
import type { AccountService } from '../accounts/account-service';
import { MESSAGES_ADDED_EVENT } from '../constants';
import type { AttachmentService } from '../messages/attachment-service';
import type { SendService } from '../send/send-service';
import type { StoredMail } from '../send/stored-mail';
import { EmailReceivedTrigger } from './email-received-trigger';
import { emailSendInstruction } from './email-send-instruction';
import { ReceivedMail } from './received-events';
import { workflowPluginOf } from './workflow-plugin';
import { WorkflowMailer } from './workflow-send';

export interface WorkflowMailDeps {
  accounts: AccountService;
  attachments: AttachmentService;
  send: SendService;
  stored: StoredMail;
}

/** Registers the trigger and the node; answers the new-mail listener (null without the Workflow plugin). */
export function registerWorkflowMail(app: Application, deps: WorkflowMailDeps): ReceivedMail | null {
  const workflow = workflowPluginOf(app);
  if (!workflow) return null;
  workflow.registerTrigger(EMAIL_RECEIVED_TRIGGER, EmailReceivedTrigger);
  workflow.registerInstruction(EMAIL_SEND_INSTRUCTION, emailSendInstruction(app, new WorkflowMailer(app, deps)));
  const received = new ReceivedMail(app, workflow, deps.attachments);
  app.on(MESSAGES_ADDED_EVENT, received.listener);
  // Events heard before the stop are handled while the database is still there.
  app.on('beforeStop', () => received.idle());
  return received;
}
