/** The mail center's actions of src/shared/mail-center-api.ts (attachments are in ./attachments.ts). */
import type { Context } from '@nocobase/actions';
import { type ChangeInput, MAIL_CENTER_ACTIONS } from '../../shared/mail-center-api';
import type { AccountService } from '../accounts/account-service';
import type { LabelsService } from '../messages/labels-service';
import type { MailChanges } from '../messages/mail-changes';
import type { NotesService } from '../messages/notes-service';
import { readThreadFilter } from '../messages/filter/thread-filter';
import type { ThreadQuery } from '../messages/thread-query';
import type { ThreadViewService } from '../messages/thread-view';
import type { MessageChange } from '../providers/types';
import { action, inputOf, userIdOf } from './respond';

export interface MailCenterServices {
  accounts: AccountService;
  query: ThreadQuery;
  reader: ThreadViewService;
  changes: MailChanges;
  labels: LabelsService;
  notes: NotesService;
}

/** The mail center's actions (src/shared/mail-center-api.ts); each on the user's own mail only. */
export function mailCenterActions(s: MailCenterServices) {
  const ownAccountIds = async (ctx: Context) => (await s.accounts.ownedModels(userIdOf(ctx))).map((a) => Number(a.get('id')));
  const change = (toChange: (input: Record<string, unknown>) => MessageChange) =>
    action((ctx) => s.changes.apply(userIdOf(ctx), inputOf<ChangeInput>(ctx), toChange(inputOf(ctx))));
  const flag = (value: unknown) => value === true || value === 'true';
  const filterOf = async (ctx: Context) => {
    const userId = userIdOf(ctx);
    return readThreadFilter(inputOf(ctx), userId, await ownAccountIds(ctx), await s.labels.ownIds(userId));
  };
  return {
    [MAIL_CENTER_ACTIONS.threads]: action(async (ctx) => {
      const { rows, ...meta } = await s.query.threads(await filterOf(ctx));
      // Answered as { data: rows, meta } like NocoBase's own pages.
      ctx.withoutDataWrapping = true;
      return { data: rows, meta };
    }),
    [MAIL_CENTER_ACTIONS.threadCount]: action(async (ctx) => s.query.threadCount(await filterOf(ctx))),
    [MAIL_CENTER_ACTIONS.thread]: action((ctx) => s.reader.view(userIdOf(ctx), ctx.action.params.filterByTk)),
    [MAIL_CENTER_ACTIONS.counts]: action(async (ctx) => s.query.counts(userIdOf(ctx), await ownAccountIds(ctx))),
    [MAIL_CENTER_ACTIONS.unreadCount]: action(async (ctx) => ({ unread: await s.query.unreadInbox(await ownAccountIds(ctx)) })),
    [MAIL_CENTER_ACTIONS.setRead]: change((input) => ({ kind: 'read', read: flag(input.read) })),
    [MAIL_CENTER_ACTIONS.setStarred]: change((input) => ({ kind: 'starred', starred: flag(input.starred) })),
    [MAIL_CENTER_ACTIONS.archive]: change(() => ({ kind: 'archive' })),
    [MAIL_CENTER_ACTIONS.trash]: change(() => ({ kind: 'trash' })),
    [MAIL_CENTER_ACTIONS.restore]: change(() => ({ kind: 'restore' })),
    [MAIL_CENTER_ACTIONS.destroyForever]: change(() => ({ kind: 'delete' })),
    [MAIL_CENTER_ACTIONS.setLabels]: action((ctx) => s.labels.apply(userIdOf(ctx), inputOf<ChangeInput>(ctx))),
    [MAIL_CENTER_ACTIONS.labels]: action((ctx) => s.labels.list(userIdOf(ctx))),
    [MAIL_CENTER_ACTIONS.saveLabel]: action((ctx) => s.labels.save(userIdOf(ctx), inputOf(ctx))),
    [MAIL_CENTER_ACTIONS.removeLabel]: action((ctx) => s.labels.remove(userIdOf(ctx), ctx.action.params.filterByTk)),
    [MAIL_CENTER_ACTIONS.saveNote]: action((ctx) => s.notes.save(userIdOf(ctx), inputOf(ctx))),
  };
}
