/**
 * The "Email received" trigger as the workflow plugin registers it (type EMAIL_RECEIVED_TRIGGER,
 * config EmailReceivedConfig of src/shared/workflow-api.ts). Always asynchronous: a workflow runs
 * after the sync has committed the mail and never holds the sync up. It keeps no hooks of its
 * own per workflow: received-events.ts reads the enabled workflows of this type when mail comes.
 */
import { triggerConfigErrors } from './config';
import type { WorkflowPluginLike } from './workflow-plugin';

export class EmailReceivedTrigger {
  /** Never run inside the request or sync that stored the mail (isWorkflowSync reads this first). */
  readonly sync = false;

  constructor(readonly workflow: WorkflowPluginLike) {}

  /** Enabled workflows are found through the plugin's enabledCache; nothing to attach. */
  on() {}

  off() {}

  /** Checked by the plugin when the editor saves the trigger: field → message, or null. */
  validateConfig(config: Record<string, unknown>) {
    return triggerConfigErrors(config);
  }

  validateEvent() {
    return true;
  }
}
