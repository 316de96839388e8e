/**
 * The node "Send email from mailbox" in the workflow editor (server: src/server/workflow): the
 * sending mailbox, recipients, subject and HTML body with workflow variables, a template, the
 * mail it replies to and files. Its form saves EmailSendConfig; its result is EmailSendResult.
 */
import { SendOutlined } from '@ant-design/icons';
import React from 'react';
import { EMAIL_SEND_INSTRUCTION, type EmailSendConfig } from '../../shared/workflow-api';
import { useT } from '../locale';
import { withEditorApi, type UseRequester } from './connect';
import { WorkflowMailboxSelect, WorkflowTemplateSelect } from './EditorSelects';
import { tx, visibleWhen } from './schema';
import { emailSendVariables, type VariableQuery } from './variables';
import type { WorkflowClientModule } from './workflow-module';

const recipients = (title: string, required = false) => ({
  type: 'string',
  title: tx(title),
  required,
  'x-decorator': 'FormItem',
  'x-component': 'WorkflowVariableTextArea',
  // No `{{…}}` in a placeholder: the schema compiler would read it as an expression.
  'x-component-props': { placeholder: 'ann@acme.com, bob@acme.com' },
});

export const emailSendFieldset = {
  account: {
    type: 'object',
    title: tx('Send from'),
    'x-decorator': 'FormItem',
    properties: {
      mode: {
        type: 'string',
        'x-decorator': 'FormItem',
        'x-component': 'Radio.Group',
        'x-component-props': { 'data-testid': 'send-account-mode' },
        enum: [
          { value: 'triggering-user', label: tx('The mailbox that received the email (or of the user who triggered)') },
          { value: 'fixed', label: tx('A fixed mailbox') },
          { value: 'record-user', label: tx('A mailbox of a user from a variable') },
        ],
        default: 'triggering-user',
      },
      accountId: {
        type: 'number',
        title: tx('Mailbox'),
        required: true,
        'x-decorator': 'FormItem',
        'x-component': 'EmailWorkflowMailboxSelect',
        'x-reactions': visibleWhen('account.mode', "$deps[0] === 'fixed'"),
      },
      path: {
        type: 'string',
        title: tx('User'),
        required: true,
        description: tx('A user ID or a user record, e.g. the creator of the triggering record.'),
        'x-decorator': 'FormItem',
        'x-component': 'WorkflowVariableInput',
        'x-reactions': visibleWhen('account.mode', "$deps[0] === 'record-user'"),
      },
      email: {
        type: 'string',
        title: tx('Which of their mailboxes (optional)'),
        description: tx("Without it, the user's oldest mailbox that allows workflows."),
        'x-decorator': 'FormItem',
        'x-component': 'Input',
        'x-component-props': { placeholder: 'sales@acme.com' },
        'x-reactions': visibleWhen('account.mode', "$deps[0] && $deps[0] !== 'fixed'"),
      },
    },
  },
  to: { ...recipients('To'), description: tx('Several addresses separated by commas. Empty in a reply: the reply recipients.') },
  cc: recipients('Cc'),
  bcc: recipients('Bcc'),
  subject: {
    type: 'string',
    title: tx('Subject'),
    description: tx("Empty: the template's subject, or \"Re: …\" of the email replied to."),
    'x-decorator': 'FormItem',
    'x-component': 'WorkflowVariableTextArea',
  },
  html: {
    type: 'string',
    title: tx('Content (HTML)'),
    description: tx("Empty: the template's body."),
    'x-decorator': 'FormItem',
    'x-component': 'WorkflowVariableRawTextArea',
    'x-component-props': { placeholder: '<p>Hi,</p>', autoSize: { minRows: 8 } },
  },
  templateId: {
    type: 'number',
    title: tx('Template'),
    'x-decorator': 'FormItem',
    'x-component': 'EmailWorkflowTemplateSelect',
  },
  replyToMessageId: {
    type: 'string',
    title: tx('Reply to email'),
    description: tx('An email ID, e.g. the email that started the workflow: the email is sent as a reply in its thread.'),
    'x-decorator': 'FormItem',
    'x-component': 'WorkflowVariableInput',
    'x-component-props': { useTypedConstant: [['number', { min: 1 }]] },
  },
  replyMode: {
    type: 'string',
    'x-decorator': 'FormItem',
    'x-component': 'Radio.Group',
    enum: [
      { value: 'reply', label: tx('Reply') },
      { value: 'replyAll', label: tx('Reply all') },
    ],
    default: 'reply',
    'x-reactions': visibleWhen('replyToMessageId', '$deps[0] != null && $deps[0] !== ""'),
  },
  quote: {
    type: 'boolean',
    'x-decorator': 'FormItem',
    'x-component': 'Checkbox',
    'x-content': tx('Quote the email replied to'),
    'x-reactions': visibleWhen('replyToMessageId', '$deps[0] != null && $deps[0] !== ""'),
  },
  attachments: {
    type: 'string',
    title: tx('Attachments'),
    description: tx('Files of an attachment field, or the attachments of the received email. At most 20 files.'),
    'x-decorator': 'FormItem',
    'x-component': 'WorkflowVariableInput',
  },
};

/** The node's result under its title in later nodes' pickers; a hook, as the plugin calls it while rendering. */
function useEmailSendVariables(node: { key: string; title?: string }, query?: VariableQuery) {
  const t = useT();
  return emailSendVariables(node, t, query);
}

/** The node's class, built on the Workflow plugin's base found at run time (workflow-module.ts). */
export function createEmailSendInstruction(workflow: WorkflowClientModule, useRequester: UseRequester) {
  return class EmailSendInstruction extends workflow.Instruction {
    type = EMAIL_SEND_INSTRUCTION;
    group = 'extended';
    title = tx('Send email from mailbox');
    description = tx("Sends an email from a mailbox connected in Email manager, whose owner allows workflows, as its owner would.");
    icon = <SendOutlined />;
    fieldset = emailSendFieldset;
    components = {
      EmailWorkflowMailboxSelect: withEditorApi(WorkflowMailboxSelect, useRequester),
      EmailWorkflowTemplateSelect: withEditorApi(WorkflowTemplateSelect, useRequester),
      WorkflowVariableInput: workflow.WorkflowVariableInput,
      WorkflowVariableTextArea: workflow.WorkflowVariableTextArea,
      WorkflowVariableRawTextArea: workflow.WorkflowVariableRawTextArea,
    };
    useVariables = useEmailSendVariables;
    // A new node sends from the mailbox that received the mail: the usual auto-reply needs no choice.
    createDefaultConfig(): Partial<EmailSendConfig> {
      return { account: { mode: 'triggering-user' }, replyMode: 'reply' };
    }
  };
}
