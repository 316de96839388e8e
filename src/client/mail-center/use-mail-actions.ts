import { App } from 'antd';
import { useCallback } from 'react';
import type { ChangeInput, ThreadRow } from '../../shared/mail-center-api';
import { useT } from '../locale';
import type { MailApi } from './mail-api';
import { notifyMailChanged } from './mail-events';
import type { MailData } from './use-mail-data';

export type BatchAction = 'read' | 'unread' | 'archive' | 'trash' | 'restore' | 'destroyForever';

/** What each batch action calls, and what the user is told when it worked. */
const DONE: Record<BatchAction, string> = {
  read: 'Marked as read',
  unread: 'Marked as unread',
  archive: 'Archived',
  trash: 'Moved to Trash',
  restore: 'Restored',
  destroyForever: 'Deleted forever',
};

function call(api: MailApi, action: BatchAction, input: ChangeInput) {
  switch (action) {
    case 'read':
      return api.setRead({ ...input, read: true });
    case 'unread':
      return api.setRead({ ...input, read: false });
    case 'archive':
      return api.archive(input);
    case 'trash':
      return api.trash(input);
    case 'restore':
      return api.restore(input);
    case 'destroyForever':
      return api.destroyForever(input);
  }
}

/**
 * The list's changes (S-CENTER-5/7): every one is applied on the server (and by it at the
 * provider), then the list and counts reload and the top-bar badge hears about it.
 */
export function useMailActions(api: MailApi, data: MailData) {
  const t = useT();
  const { message } = App.useApp();
  const { setRows, reloadList, reloadCounts } = data;

  const afterChange = useCallback(() => {
    reloadList();
    reloadCounts();
    notifyMailChanged();
  }, [reloadList, reloadCounts]);

  /** Runs a batch action on conversations; false when nothing was selected. */
  const batch = useCallback(
    async (action: BatchAction, ids: number[]): Promise<boolean> => {
      if (!ids.length) {
        message.warning(t('Please check the mail first'));
        return false;
      }
      // Read state shows at once; the reload confirms it.
      if (action === 'read' || action === 'unread') {
        setRows((rows) => rows.map((r) => (ids.includes(r.id) ? { ...r, unread: action === 'unread' } : r)));
      }
      try {
        // As in Gmail, "unread" marks the conversation's newest mail (the row's), not all of it.
        await call(api, action, { ids, scope: action === 'unread' ? 'message' : 'thread' });
        message.success(t(DONE[action]));
        return true;
      } catch (error) {
        message.error((error as Error).message);
        return false;
      } finally {
        afterChange();
      }
    },
    [api, message, t, setRows, afterChange],
  );

  const toggleStar = useCallback(
    async (row: ThreadRow) => {
      const starred = !row.starred;
      setRows((rows) => rows.map((r) => (r.id === row.id ? { ...r, starred } : r)));
      try {
        // Starring a conversation stars its newest mail; unstarring clears every star in it.
        await api.setStarred({ ids: [row.id], scope: starred ? 'message' : 'thread', starred });
      } catch (error) {
        setRows((rows) => rows.map((r) => (r.id === row.id ? { ...r, starred: !starred } : r)));
        message.error((error as Error).message);
      } finally {
        reloadCounts();
        notifyMailChanged();
      }
    },
    [api, message, setRows, reloadCounts],
  );

  return { batch, toggleStar, afterChange };
}
