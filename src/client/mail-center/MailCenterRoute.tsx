import { useAPIClient, useApp, useCurrentDocumentTitle, useLocationNoUpdate, useNavigateNoUpdate } from '@nocobase/client';
import React, { useCallback, useMemo } from 'react';
import { accountsApi } from '../accounts/accounts-api';
import { bulkApi } from './bulk/bulk-api-client';
import type { BulkPlace } from './bulk/BulkTracking';
import { useT } from '../locale';
import { mailApi } from './mail-api';
import { EventBusLike, MAIL_CHANGED_EVENT } from './mail-events';
import { MailCenter } from './MailCenter';
import type { MailView } from './types';
import { mailSearch, parseMailLocation } from './url-state';

/** Where the mail center lives inside the admin layout. */
export const MAIL_CENTER_PATH = '/admin/mail';

/** The app's event bus; the WebSocket messages for this user arrive on it as `ws:message:<type>`. */
export function appEventBus(app: unknown): EventBusLike | undefined {
  return (app as { eventBus?: EventBusLike } | undefined)?.eventBus;
}

/** The mail center's connections to NocoBase: API clients and the WebSocket "mail changed" events. */
export function useMailCenterWiring() {
  const app = useApp();
  const apiClient = useAPIClient();
  const api = useMemo(() => mailApi(apiClient as any), [apiClient]);
  const accounts = useMemo(() => accountsApi(apiClient as any), [apiClient]);
  const bulk = useMemo(() => bulkApi(apiClient as any), [apiClient]);
  const eventBus = appEventBus(app);
  const subscribeRemote = useCallback(
    (listener: () => void) => {
      if (!eventBus) return () => undefined;
      eventBus.addEventListener(MAIL_CHANGED_EVENT, listener);
      return () => eventBus.removeEventListener(MAIL_CHANGED_EVENT, listener);
    },
    [eventBus],
  );
  return { api, accounts, bulk, subscribeRemote };
}

/** `/admin/mail`: the mail center wired to NocoBase (API client, router, WebSocket events). */
export function MailCenterRoute() {
  const t = useT();
  useCurrentDocumentTitle(t('Mail center'));
  const navigate = useNavigateNoUpdate();
  const location = useLocationNoUpdate();
  const { api, accounts, bulk, subscribeRemote } = useMailCenterWiring();
  // Read once: afterwards the mail center owns its state and only writes it back to the URL.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- read once, on purpose (see above)
  const initial = useMemo(() => parseMailLocation(location?.search || window.location.search), []);

  const onLocationChange = useCallback(
    (view: MailView, openId: number | null, bulkPlace: BulkPlace | null) => {
      const search = mailSearch(view, openId, bulkPlace);
      if (search !== window.location.search) navigate(`${MAIL_CENTER_PATH}${search}`, { replace: true });
    },
    [navigate],
  );

  return (
    <MailCenter
      api={api}
      accountsApi={accounts}
      initialView={initial.view}
      initialOpenId={initial.openId}
      bulkApi={bulk}
      initialBulk={initial.bulk}
      onLocationChange={onLocationChange}
      subscribeRemote={subscribeRemote}
    />
  );
}

/** The mail center inside a page block: same wiring, its own height, and the page's URL left alone. */
export function EmbeddedMailCenter({ height }: { embedded?: boolean; height?: number }) {
  const { api, accounts, bulk, subscribeRemote } = useMailCenterWiring();
  return <MailCenter api={api} accountsApi={accounts} bulkApi={bulk} initialView={{ box: 'inbox' }} subscribeRemote={subscribeRemote} height={height} />;
}
