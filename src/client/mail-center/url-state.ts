import type { BoxFilter } from '../../shared/mail-center-api';
import { BOXES, MailView } from './types';

/**
 * The mail center's place in the URL (`/admin/mail?box=sent&account=2&open=41`), so a reload or a
 * shared link returns to the same box and conversation.
 */
export function parseMailLocation(search: string): { view: MailView; openId: number | null } {
  const params = new URLSearchParams(search);
  const num = (key: string) => {
    const value = Number(params.get(key));
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const box = params.get('box') as BoxFilter | null;
  const view: MailView = { box: box && BOXES.includes(box) ? box : 'inbox' };
  const accountId = num('account');
  if (accountId) view.accountId = accountId;
  const folderId = params.get('folder');
  if (folderId) view.folderId = folderId;
  const labelId = num('label');
  if (labelId) view.labelId = labelId;
  if (params.get('todo') === '1') view.todo = true;
  return { view, openId: num('open') ?? null };
}

export function mailSearch(view: MailView, openId: number | null): string {
  const params = new URLSearchParams();
  if (view.box !== 'inbox') params.set('box', view.box);
  if (view.accountId) params.set('account', String(view.accountId));
  if (view.folderId) params.set('folder', view.folderId);
  if (view.labelId) params.set('label', String(view.labelId));
  if (view.todo) params.set('todo', '1');
  if (openId) params.set('open', String(openId));
  const text = params.toString();
  return text ? `?${text}` : '';
}
