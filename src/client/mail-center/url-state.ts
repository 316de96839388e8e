import type { BoxFilter } from '../../shared/mail-center-api';
import type { BulkPlace } from './bulk/BulkTracking';
import { BOXES, MailView } from './types';

/**
 * The mail center's place in the URL (`/admin/mail?box=sent&account=2&open=41`), so a reload or a
 * shared link returns to the same box and conversation; Mass Send Tracking is `?bulk=1[&job=7]`.
 */
export function parseMailLocation(search: string): { view: MailView; openId: number | null; bulk: BulkPlace | null } {
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
  const bulk = params.get('bulk') === '1' ? { jobId: num('job') ?? null } : null;
  return { view, openId: num('open') ?? null, bulk };
}

export function mailSearch(view: MailView, openId: number | null, bulk: BulkPlace | null = null): string {
  const params = new URLSearchParams();
  if (view.box !== 'inbox') params.set('box', view.box);
  if (view.accountId) params.set('account', String(view.accountId));
  if (view.folderId) params.set('folder', view.folderId);
  if (view.labelId) params.set('label', String(view.labelId));
  if (view.todo) params.set('todo', '1');
  if (bulk) params.set('bulk', '1');
  if (bulk?.jobId) params.set('job', String(bulk.jobId));
  if (openId) params.set('open', String(openId));
  const text = params.toString();
  return text ? `?${text}` : '';
}
