/**
 * The trigger's and the node's saved config (src/shared/workflow-api.ts), checked when the
 * workflow editor saves it (validateConfig: a field → message map, as the workflow plugin shows
 * it) and read with its defaults when it runs. An old or hand-edited config that no longer
 * checks makes the trigger fire for nothing, never for everything.
 */
import {
  DEFAULT_TRIGGER_BOXES,
  TRIGGER_FILTER_FIELDS,
  WORKFLOW_BOXES,
  type EmailReceivedConfig,
  type SendAccountChoice,
  type TriggerAccounts,
  type WorkflowBox,
} from '../../shared/workflow-api';
import { UserError } from '../errors';
import { readBlockFilter } from '../messages/filter/block-filter';

/** Account ids one trigger may list. */
export const MAX_TRIGGER_ACCOUNTS = 200;

export interface TriggerConfig {
  accounts: TriggerAccounts;
  boxes: WorkflowBox[];
  filter: unknown;
  includeFirstImport: boolean;
}

type Errors = Record<string, string>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const positiveInteger = (value: unknown) => Number.isInteger(Number(value)) && Number(value) > 0 && String(value).trim() !== '';

function accountsErrors(value: unknown, errors: Errors) {
  if (value == null) return;
  if (!isObject(value)) {
    errors.accounts = 'Choose which accounts the trigger watches';
    return;
  }
  if (value.mode === 'all-visible') return;
  if (value.mode === 'user') {
    if (!positiveInteger(value.userId)) errors['accounts.userId'] = 'Choose a user';
    return;
  }
  if (value.mode === 'accounts') {
    const ids = value.ids;
    if (!Array.isArray(ids) || !ids.length || ids.length > MAX_TRIGGER_ACCOUNTS || !ids.every(positiveInteger)) {
      errors['accounts.ids'] = 'Choose one or more accounts';
    }
    return;
  }
  errors['accounts.mode'] = 'Choose which accounts the trigger watches';
}

/** Errors of an "Email received" config, or null. */
export function triggerConfigErrors(config: unknown): Errors | null {
  const errors: Errors = {};
  const c = isObject(config) ? config : {};
  accountsErrors(c.accounts, errors);
  if (c.boxes != null && (!Array.isArray(c.boxes) || !c.boxes.length || !c.boxes.every((b) => (WORKFLOW_BOXES as readonly unknown[]).includes(b)))) {
    errors.boxes = 'Choose one or more boxes';
  }
  if (c.includeFirstImport != null && typeof c.includeFirstImport !== 'boolean') errors.includeFirstImport = 'Must be true or false';
  try {
    // Labels are named per account at run time; any text passes here.
    readBlockFilter(c.filter ?? null, { fields: TRIGGER_FILTER_FIELDS });
  } catch (error) {
    errors.filter = error instanceof UserError ? error.message : 'Invalid filter';
  }
  return Object.keys(errors).length ? errors : null;
}

/** The config with its defaults, or null when it does not check (the trigger then fires for nothing). */
export function readTriggerConfig(config: unknown): TriggerConfig | null {
  if (triggerConfigErrors(config)) return null;
  const c = (isObject(config) ? config : {}) as EmailReceivedConfig;
  const accounts: TriggerAccounts = c.accounts ?? { mode: 'all-visible' };
  return {
    accounts:
      accounts.mode === 'accounts'
        ? { mode: 'accounts', ids: accounts.ids.map(Number) }
        : accounts.mode === 'user'
          ? { mode: 'user', userId: Number(accounts.userId) }
          : { mode: 'all-visible' },
    boxes: c.boxes?.length ? c.boxes : DEFAULT_TRIGGER_BOXES,
    filter: c.filter ?? null,
    includeFirstImport: c.includeFirstImport === true,
  };
}

/** Whether the trigger watches this account (consent is checked separately). */
export function watchesAccount(config: TriggerConfig, account: { id: number; userId: number }) {
  switch (config.accounts.mode) {
    case 'accounts':
      return config.accounts.ids.includes(account.id);
    case 'user':
      return config.accounts.userId === account.userId;
    default:
      return true;
  }
}

/** Errors of a "Send email from mailbox" config as saved (before its variables are resolved), or null. */
export function sendConfigErrors(config: unknown): Errors | null {
  const errors: Errors = {};
  const c = isObject(config) ? config : {};
  const account = c.account as SendAccountChoice | undefined;
  if (!isObject(account)) errors.account = 'Choose the account that sends';
  else if (account.mode === 'fixed') {
    if (!positiveInteger(account.accountId)) errors['account.accountId'] = 'Choose the account that sends';
  } else if (account.mode === 'record-user') {
    if (typeof account.path !== 'string' || !account.path.trim()) errors['account.path'] = 'Choose the user whose account sends';
  } else if (account.mode !== 'triggering-user') errors['account.mode'] = 'Choose the account that sends';
  if (c.replyMode != null && c.replyMode !== 'reply' && c.replyMode !== 'replyAll') errors.replyMode = 'Invalid mode';
  for (const field of ['subject', 'html'] as const) {
    if (c[field] != null && typeof c[field] !== 'string') errors[field] = 'Must be text';
  }
  return Object.keys(errors).length ? errors : null;
}
