import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkflowAccountOption } from '../../src/shared/accounts-api';
import { EMAIL_RECEIVED_VARIABLES } from '../../src/shared/workflow-api';
import { WorkflowEditorApiContext, type WorkflowEditorApi } from '../../src/client/workflow/editor-api';
import { WorkflowMailboxSelect, WorkflowTemplateSelect } from '../../src/client/workflow/EditorSelects';
import { registerWorkflowParts } from '../../src/client/workflow';
import { draftToFilter, filterToDraft } from '../../src/client/workflow/trigger-filter';
import { TriggerAccountsField } from '../../src/client/workflow/TriggerAccountsField';
import { TriggerFilterField } from '../../src/client/workflow/TriggerFilterField';
import { emailReceivedVariables } from '../../src/client/workflow/variables';

const ACCOUNTS: WorkflowAccountOption[] = [
  { id: 1, email: 'ann@acme.test', provider: 'gmail', userId: 7, userName: 'Ann' },
  { id: 2, email: 'sales@acme.test', provider: 'outlook', userId: 7, userName: 'Ann' },
  { id: 3, email: 'bob@acme.test', provider: 'imap', userId: 8, userName: 'Bob' },
];

const fakeApi = (over: Partial<WorkflowEditorApi> = {}): WorkflowEditorApi => ({
  accounts: vi.fn(async () => ACCOUNTS),
  templates: vi.fn(async () => [{ id: 5, name: 'Thanks', subject: 'Thanks', html: '<p>Thanks</p>' }]),
  ...over,
});
const renderWith = (api: WorkflowEditorApi, node: React.ReactNode) => render(<WorkflowEditorApiContext.Provider value={api}>{node}</WorkflowEditorApiContext.Provider>);
/** Opens an antd Select and picks the option with this text. */
async function pick(select: HTMLElement, text: string) {
  fireEvent.mouseDown(select.querySelector('.ant-select-selector') as HTMLElement);
  const option = await waitFor(() => {
    const found = [...document.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent === text);
    if (!found) throw new Error(`no option ${text}`);
    return found as HTMLElement;
  });
  fireEvent.click(option);
}
afterEach(cleanup);

describe('workflow editor: trigger "Email received"', () => {
  it('chooses all mailboxes, one user (each owner once) or chosen mailboxes', async () => {
    const onChange = vi.fn();
    const { rerender } = renderWith(fakeApi(), <TriggerAccountsField value={null} onChange={onChange} />);
    expect((screen.getByLabelText('All mailboxes that allow workflows') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText("A user's mailboxes"));
    expect(onChange).toHaveBeenLastCalledWith({ mode: 'user' });
    rerender(<WorkflowEditorApiContext.Provider value={fakeApi()}><TriggerAccountsField value={{ mode: 'user' }} onChange={onChange} /></WorkflowEditorApiContext.Provider>);
    await pick(screen.getByTestId('trigger-accounts-user'), 'Bob');
    expect(onChange).toHaveBeenLastCalledWith({ mode: 'user', userId: 8 });
    expect([...document.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent)).toEqual(['Ann', 'Bob']);
    fireEvent.click(screen.getByLabelText('Chosen mailboxes'));
    expect(onChange).toHaveBeenLastCalledWith({ mode: 'accounts', ids: [] });
  });

  it('picks mailboxes by owner and address, and says when none allows workflows', async () => {
    const onChange = vi.fn();
    renderWith(fakeApi(), <TriggerAccountsField value={{ mode: 'accounts', ids: [1] }} onChange={onChange} />);
    await pick(screen.getByTestId('trigger-accounts-ids'), 'Bob · bob@acme.test');
    expect(onChange).toHaveBeenLastCalledWith({ mode: 'accounts', ids: [1, 3] });
    cleanup();
    renderWith(fakeApi({ accounts: vi.fn(async () => []) }), <TriggerAccountsField value={{ mode: 'accounts', ids: [] }} />);
    expect(await screen.findByText('No mailbox allows workflows yet. Its owner turns it on in Email accounts.')).toBeTruthy();
  });

  it('builds the filter from conditions and reads it back', async () => {
    let value: any = null;
    const onChange = vi.fn((next) => (value = next));
    const { rerender } = render(<TriggerFilterField value={value} onChange={onChange} />);
    fireEvent.click(screen.getByTestId('trigger-filter-add'));
    expect(value).toEqual({ $and: [{ from: { $in: '' } }] });
    rerender(<TriggerFilterField value={value} onChange={onChange} />);
    const row = screen.getByTestId('trigger-filter-row');
    await pick(row.querySelectorAll('.ant-select')[1] as HTMLElement, 'contains');
    rerender(<TriggerFilterField value={value} onChange={onChange} />);
    fireEvent.change(within(screen.getByTestId('trigger-filter-row')).getByRole('textbox'), { target: { value: '@acme.test' } });
    expect(value).toEqual({ $and: [{ from: { $includes: '@acme.test' } }] });
    rerender(<TriggerFilterField value={value} onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(value).toBeNull();
  });

  it('reads filters saved through the API, and keeps what it cannot show from vanishing unnoticed', () => {
    const saved = { $or: [{ subject: { $includes: 'invoice' } }, { hasAttachments: { $isTruly: true } }, { label: 'Clients' }] };
    const draft = filterToDraft(saved as any);
    expect(draft.logic).toBe('$or');
    expect(draftToFilter(draft)).toEqual({ $or: [{ subject: { $includes: 'invoice' } }, { hasAttachments: { $isTruly: true } }, { label: { $eq: 'Clients' } }] });
    expect(filterToDraft({ $and: [{ $or: [{ from: 'a@x.com' }] }] } as any).unreadable).toBe(true);
    render(<TriggerFilterField value={{ $and: [{ $or: [{ from: 'a@x.com' }] }] } as any} />);
    expect(screen.getByText(/cannot be shown here/)).toBeTruthy();
  });

  it('offers $context.message for the variable picker, filtered by type', () => {
    const all = emailReceivedVariables((s) => s);
    expect(all[0].value).toBe('message');
    const fields = all[0].children as any[];
    expect(fields.map((f) => f.value)).toEqual(EMAIL_RECEIVED_VARIABLES.map((v) => v.path.replace('message.', '')));
    expect(fields.find((f) => f.value === 'from').children.map((c: any) => c.value)).toEqual(['address', 'name']);
    const numbers = emailReceivedVariables((s) => s, { types: ['number'], fieldNames: { label: 'title', value: 'name', children: 'items' } });
    expect((numbers[0].items as any[]).map((f) => f.name)).toEqual(['id', 'accountId', 'userId']);
  });
});

describe('workflow editor: node "Send email from mailbox"', () => {
  it('picks the sending mailbox and a template', async () => {
    const onAccount = vi.fn();
    const onTemplate = vi.fn();
    renderWith(fakeApi(), <><WorkflowMailboxSelect onChange={onAccount} /><WorkflowTemplateSelect value={null} onChange={onTemplate} /></>);
    await pick(screen.getByTestId('send-account-select'), 'Ann · sales@acme.test');
    expect(onAccount).toHaveBeenLastCalledWith(2);
    await pick(screen.getByTestId('send-template-select'), 'Thanks');
    expect(onTemplate).toHaveBeenLastCalledWith(5);
  });
});

describe('workflow editor: registration', () => {
  const fakeModule = () => {
    class Base {}
    const Input = () => null;
    return { Trigger: Base, Instruction: Base, WorkflowVariableInput: Input, WorkflowVariableTextArea: Input, WorkflowVariableRawTextArea: Input };
  };

  it('registers nothing, and does not fail, without the Workflow plugin', () => {
    const find = vi.fn(fakeModule);
    expect(registerWorkflowParts({ pm: { get: () => undefined } }, () => ({}) as any, find)).toBe(false);
    // Its client module is not even looked for.
    expect(find).not.toHaveBeenCalled();
    expect(registerWorkflowParts({ pm: { get: () => ({ registerTrigger() {}, registerInstruction() {} }) } }, () => ({}) as any, () => null)).toBe(false);
  });

  it('registers the trigger and the node with their forms', async () => {
    const plugin = { registerTrigger: vi.fn(), registerInstruction: vi.fn() };
    expect(registerWorkflowParts({ pm: { get: (name: string) => (name === 'workflow' ? plugin : undefined) } }, () => ({}) as any, fakeModule)).toBe(true);
    const [triggerType, Trigger] = plugin.registerTrigger.mock.calls[0];
    const [nodeType, Node] = plugin.registerInstruction.mock.calls[0];
    expect(triggerType).toBe('email-received');
    expect(nodeType).toBe('email-send');
    const trigger = new Trigger();
    expect(trigger.title).toContain('Email received');
    expect(Object.keys(trigger.fieldset)).toEqual(['accounts', 'boxes', 'filter', 'includeFirstImport']);
    expect(trigger.validate({ accounts: { mode: 'accounts', ids: [] } })).toBe(false);
    expect(trigger.validate({})).toBe(true);
    const node = new Node();
    expect(node.type).toBe('email-send');
    expect(Object.keys(node.fieldset)).toEqual(['account', 'to', 'cc', 'bcc', 'subject', 'html', 'templateId', 'replyToMessageId', 'replyMode', 'quote', 'attachments']);
    expect(node.createDefaultConfig()).toEqual({ account: { mode: 'triggering-user' }, replyMode: 'reply' });
    // The connected picker asks the server through the app's API client.
    const request = vi.fn(async () => ({ data: { data: ACCOUNTS } }));
    const plugin2 = { registerTrigger: vi.fn(), registerInstruction: vi.fn() };
    registerWorkflowParts({ pm: { get: () => plugin2 } }, () => ({ request }), fakeModule);
    const Select = new (plugin2.registerInstruction.mock.calls[0][1])().components.EmailWorkflowMailboxSelect;
    await act(async () => {
      render(<Select />);
    });
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: 'mailAccounts:listForWorkflows' }));
  });
});
