import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import { MAIL_CHANGED_MESSAGE } from '../../shared/mail-center-api';

/**
 * Tells a user's open browser tabs that their mail changed (after a sync run or a change made in
 * another tab), over NocoBase's WebSocket: the client refreshes the badge and the list.
 */
export function notifyUser(app: Application, userId: number, accountIds: number[]) {
  app.emit('ws:sendToUser', { userId, message: { type: MAIL_CHANGED_MESSAGE, payload: { accountIds } } });
}

export async function notifyOwnerOf(app: Application, accountId: number) {
  const account = await app.db.getRepository(COLLECTIONS.accounts).findOne({ filterByTk: accountId, fields: ['id', 'userId'] });
  if (account) notifyUser(app, Number(account.get('userId')), [accountId]);
}
