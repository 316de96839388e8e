import { PinnedPluginListProvider, SchemaComponentOptions, useAPIClient, useApp, useNavigateNoUpdate } from '@nocobase/client';
import React, { useCallback, useMemo } from 'react';
import { mailApi } from './mail-api';
import { appEventBus, MAIL_CENTER_PATH } from './MailCenterRoute';
import { MailBadgeButton, useUnreadCount } from './unread-badge';
// Without the personal-use snippet (S-ACL-2) the icon is hidden.
import { USER_SNIPPET } from '../../shared/acl-snippets';

/** Its published type omits `children`, which it renders (React 18 types add none implicitly). */
const Pinned = PinnedPluginListProvider as unknown as React.FC<React.PropsWithChildren<{ items: Record<string, unknown> }>>;


/** The top-bar mail icon (S-CENTER-1): unread badge, opens the mail center. */
export function MailCenterShortcut() {
  const app = useApp();
  const apiClient = useAPIClient();
  const navigate = useNavigateNoUpdate();
  const api = useMemo(() => mailApi(apiClient as any), [apiClient]);
  const load = useCallback(() => api.unreadCount(), [api]);
  const count = useUnreadCount(load, appEventBus(app));
  return <MailBadgeButton count={count} onClick={() => navigate(MAIL_CENTER_PATH)} />;
}

/**
 * Pins the icon to the top bar, as NocoBase 2.2's own plugins do (workflow's to-do icon, the
 * in-app message bell): a provider that registers the item and the component it names.
 */
export function MailShortcutProvider({ children }: React.PropsWithChildren) {
  return (
    <Pinned items={{ emailManager: { order: 302, component: 'MailCenterShortcut', pin: true, snippet: USER_SNIPPET } }}>
      <SchemaComponentOptions components={{ MailCenterShortcut }}>{children}</SchemaComponentOptions>
    </Pinned>
  );
}
