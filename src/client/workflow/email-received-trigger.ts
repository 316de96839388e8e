/**
 * The trigger "Email received" in the workflow editor (server: src/server/workflow): which
 * mailboxes, which boxes, which mail, and whether an account's first import counts. Its form
 * saves EmailReceivedConfig; its variables are `$context.message` (EMAIL_RECEIVED_VARIABLES).
 */
import { DEFAULT_TRIGGER_BOXES, type EmailReceivedConfig } from '../../shared/workflow-api';
import { useT } from '../locale';
import { withEditorApi, type UseRequester } from './connect';
import { tx } from './schema';
import { TriggerAccountsField } from './TriggerAccountsField';
import { TriggerFilterField } from './TriggerFilterField';
import { emailReceivedVariables, type VariableQuery } from './variables';
import type { WorkflowClientModule } from './workflow-module';

const BOX_TITLES = { inbox: 'Inbox', sent: 'Sent', archive: 'Archive', spam: 'Spam', trash: 'Trash' } as const;

/** The form, as the Workflow plugin renders a trigger's `fieldset` (its keys are the config's). */
export const emailReceivedFieldset = {
  accounts: {
    type: 'object',
    title: tx('Mailboxes'),
    'x-decorator': 'FormItem',
    'x-component': 'EmailTriggerAccounts',
    default: { mode: 'all-visible' },
  },
  boxes: {
    type: 'array',
    title: tx('Boxes'),
    description: tx('Inbox is new mail; Sent fires for every email sent, from NocoBase or elsewhere.'),
    required: true,
    'x-decorator': 'FormItem',
    'x-component': 'Checkbox.Group',
    enum: Object.entries(BOX_TITLES).map(([value, title]) => ({ value, label: tx(title) })),
    default: DEFAULT_TRIGGER_BOXES,
  },
  filter: {
    type: 'object',
    title: tx('Only emails that match'),
    description: tx('Without conditions, every new email of those boxes starts the workflow.'),
    'x-decorator': 'FormItem',
    'x-component': 'EmailTriggerFilter',
  },
  includeFirstImport: {
    type: 'boolean',
    'x-decorator': 'FormItem',
    'x-component': 'Checkbox',
    'x-content': tx('Also for the emails imported when a mailbox is connected or resynced'),
    default: false,
  },
};

/** The picker's `$context` options; a hook, as the Workflow plugin calls it while rendering. */
function useEmailReceivedVariables(_config: EmailReceivedConfig, query?: VariableQuery) {
  const t = useT();
  return emailReceivedVariables(t, query);
}

/** The trigger's class, built on the Workflow plugin's base found at run time (workflow-module.ts). */
export function createEmailReceivedTrigger(workflow: WorkflowClientModule, useRequester: UseRequester) {
  return class EmailReceivedTrigger extends workflow.Trigger {
    title = tx('Email received');
    description = tx('Starts when a new email arrives in (or is sent from) a mailbox whose owner allows workflows, once per email.');
    // Executions start after the sync committed the mail, never inside a request.
    sync = false;
    fieldset = emailReceivedFieldset;
    components = {
      EmailTriggerAccounts: withEditorApi(TriggerAccountsField, useRequester),
      EmailTriggerFilter: TriggerFilterField,
    };

    useVariables = useEmailReceivedVariables;

    validate(config: EmailReceivedConfig) {
      const accounts = config?.accounts;
      if (accounts?.mode === 'accounts') return accounts.ids?.length > 0;
      if (accounts?.mode === 'user') return Boolean(accounts.userId);
      return true;
    }
  };
}
