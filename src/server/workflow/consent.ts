/**
 * The consent rule of mail in workflows (S-WF-1/2): a workflow reads from and sends from an
 * account only while its owner allows it (mailAccounts.workflowAccess, which only the owner sets:
 * mailAccounts:setWorkflowAccess). Both the trigger and the node ask at run time, so withdrawing
 * it stops the next firing and fails the next send.
 */
import type { Model } from '../db-types';
import { UserError } from '../errors';
import { truthy } from '../send/stored-mail';

export const allowsWorkflows = (account: Model) => truthy(account.get('workflowAccess'));

/** A 403 naming the account when its owner has not allowed workflows. */
export function assertWorkflowAccess(account: Model) {
  if (!allowsWorkflows(account)) {
    throw new UserError('The mailbox {{email}} is not available to workflows: its owner has not allowed it', 403, 'account', {
      email: account.get('email'),
    });
  }
}
