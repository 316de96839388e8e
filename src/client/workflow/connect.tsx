/**
 * The editor fields with the app's API client. The hook that gives it is handed in by the
 * plugin entry (NocoBase's useAPIClient), so this folder never imports @nocobase/client and its
 * parts can be tested with a fake.
 */
import React, { useMemo, type ComponentType } from 'react';
import type { Requester } from '../api';
import { workflowEditorApi, WorkflowEditorApiContext } from './editor-api';

/** A hook answering the app's API client. */
export type UseRequester = () => Requester;

export function withEditorApi<P extends object>(Component: ComponentType<P>, useRequester: UseRequester): ComponentType<P> {
  function Connected(props: P) {
    const client = useRequester();
    const api = useMemo(() => workflowEditorApi(client), [client]);
    return (
      <WorkflowEditorApiContext.Provider value={api}>
        <Component {...props} />
      </WorkflowEditorApiContext.Provider>
    );
  }
  Connected.displayName = `WithEditorApi(${Component.displayName || Component.name})`;
  return Connected;
}
