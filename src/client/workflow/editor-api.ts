/**
 * What the workflow editor's mail fields load: the mailboxes that allow workflows (any owner's,
 * mailAccounts:listForWorkflows) and the editor's own templates. A context, so the form fields
 * stay free of @nocobase/client and can be tested with a fake.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { ACCOUNT_ACTIONS, type WorkflowAccountOption } from '../../shared/accounts-api';
import { COMPOSE_ACTIONS, type TemplateView } from '../../shared/compose-api';
import { get, type Requester } from '../api';

export interface WorkflowEditorApi {
  accounts(): Promise<WorkflowAccountOption[]>;
  templates(): Promise<TemplateView[]>;
}

export function workflowEditorApi(api: Requester): WorkflowEditorApi {
  return {
    accounts: () => get(api, ACCOUNT_ACTIONS.listForWorkflows),
    templates: () => get(api, COMPOSE_ACTIONS.templates),
  };
}

export const WorkflowEditorApiContext = createContext<WorkflowEditorApi | null>(null);

/** One list for a field: loaded when the field mounts; `error` holds the server's message. */
export function useEditorList<T>(pick: (api: WorkflowEditorApi) => Promise<T[]>) {
  const api = useContext(WorkflowEditorApiContext);
  const [list, setList] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!api) return;
    let live = true;
    pick(api).then(
      (rows) => live && setList(rows),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
    // `pick` is a fixed accessor per field.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);
  return { list, error, loading: list === null && !error };
}

/** "Ann · ann@x.com": an account as the pickers show it. */
export const accountLabel = (a: WorkflowAccountOption) => (a.userName ? `${a.userName} · ${a.email}` : a.email);
