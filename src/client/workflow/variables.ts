/**
 * The variables the editor's picker offers: the trigger's `$context.message` fields
 * (EMAIL_RECEIVED_VARIABLES) and the send node's result. The Workflow plugin puts the trigger's
 * options under "Trigger variables" (`$context`) and a node's under its title (`$jobsMapByNodeKey`).
 */
import { EMAIL_RECEIVED_VARIABLES } from '../../shared/workflow-api';

type VariableType = (typeof EMAIL_RECEIVED_VARIABLES)[number]['type'];

/** The picker's options shape (the Workflow plugin's VariableOption), with its field names. */
export interface VariableOption {
  [key: string]: unknown;
}

export interface VariableQuery {
  /** The types the input accepts; strings only are judged here (other entries: collection fields). */
  types?: unknown[];
  fieldNames?: { label?: string; value?: string; children?: string };
}

/** A field the input can take: any when it says nothing; an object or list only then. */
function accepts(query: VariableQuery | undefined, type: VariableType) {
  const wanted = (query?.types || []).filter((x): x is string => typeof x === 'string');
  if (!query?.types?.length) return true;
  // A typed input that also takes collection fields (functions, references) gets everything.
  if (wanted.length !== query.types.length) return true;
  return wanted.includes(type);
}

/** Sub-fields of the address objects, so `{{$context.message.from.address}}` can be picked. */
const ADDRESS_PARTS = [
  { path: 'address', title: 'Address', type: 'string' as const },
  { path: 'name', title: 'Name', type: 'string' as const },
];

export function emailReceivedVariables(t: (text: string) => string, query?: VariableQuery): VariableOption[] {
  const { label = 'label', value = 'value', children = 'children' } = query?.fieldNames || {};
  const fields = EMAIL_RECEIVED_VARIABLES.flatMap((v): VariableOption[] => {
    const key = v.path.replace(/^message\./, '');
    if (key === 'from') {
      const parts = ADDRESS_PARTS.filter((p) => accepts(query, p.type)).map((p): VariableOption => ({ key: p.path, [value]: p.path, [label]: t(p.title) }));
      return parts.length ? [{ key, [value]: key, [label]: t(v.title), [children]: parts }] : [];
    }
    return accepts(query, v.type) ? [{ key, [value]: key, [label]: t(v.title) }] : [];
  });
  return fields.length ? [{ key: 'message', [value]: 'message', [label]: t('Email'), [children]: fields }] : [];
}

const RESULT_FIELDS = [
  { path: 'messageId', title: 'Sent email ID', type: 'number' as const },
  { path: 'threadId', title: 'Thread ID', type: 'string' as const },
  { path: 'providerMessageId', title: 'Provider message ID', type: 'string' as const },
];

/** The node's result (EmailSendResult) under the node's title. */
export function emailSendVariables(node: { key: string; title?: string }, t: (text: string) => string, query?: VariableQuery): VariableOption | null {
  const { label = 'label', value = 'value', children = 'children' } = query?.fieldNames || {};
  const fields = RESULT_FIELDS.filter((f) => accepts(query, f.type)).map((f): VariableOption => ({ key: f.path, [value]: f.path, [label]: t(f.title) }));
  return fields.length ? { key: node.key, [value]: node.key, [label]: node.title || t('Send email from mailbox'), [children]: fields } : null;
}
