import { MailOutlined } from '@ant-design/icons';
import { Badge, Button, theme, Tooltip } from 'antd';
import React, { useEffect, useState } from 'react';
import { useT } from '../locale';
import { EventBusLike, MAIL_CHANGED_EVENT, onMailChanged } from './mail-events';

/** S-CENTER-1: the badge refreshes at least this often. */
export const BADGE_POLL_MS = 60_000;

/**
 * The unread Inbox count for the top bar: read on mount, every 60 s, when the server says the
 * user's mail changed (WebSocket → app event) and when the mail center changed something here.
 */
export function useUnreadCount(load: () => Promise<number>, eventBus?: EventBusLike, intervalMs = BADGE_POLL_MS): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let live = true;
    const refresh = () => {
      load()
        .then((unread) => live && setCount(unread || 0))
        .catch(() => {
          // Signed out or no permission: the badge just keeps its number.
        });
    };
    refresh();
    const timer = setInterval(refresh, intervalMs);
    const offLocal = onMailChanged(refresh);
    eventBus?.addEventListener(MAIL_CHANGED_EVENT, refresh);
    return () => {
      live = false;
      clearInterval(timer);
      offLocal();
      eventBus?.removeEventListener(MAIL_CHANGED_EVENT, refresh);
    };
  }, [load, eventBus, intervalMs]);
  return count;
}

/** The top-bar mail icon; antd shows "99+" above 99. */
export function MailBadgeButton({ count, onClick }: { count: number; onClick(): void }) {
  const t = useT();
  const { token } = theme.useToken();
  return (
    <Tooltip title={t('Mail center')}>
      <Button
        onClick={onClick}
        data-testid="mail-center-shortcut"
        aria-label={t('Mail center')}
        style={{ color: (token as unknown as Record<string, string>).colorTextHeaderMenu }}
      >
        <Badge count={count} overflowCount={99} size="small" data-testid="mail-center-badge" data-count={count}>
          <MailOutlined style={{ color: 'inherit' }} />
        </Badge>
      </Button>
    </Tooltip>
  );
}
