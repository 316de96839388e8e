/**
 * Graph mail folders: the top-level list (alphabetical, paged with $top/$skip and an
 * @odata.nextLink, hidden folders only with includeHiddenFolders=true), child folders, one folder
 * by id or well-known name (with its counts), and creating folders. Exchange's well-known folders
 * include Outbox, Conversation History and Sync Issues (with three children), as a real mailbox
 * has them.
 */
import type { Context, Router } from '../shared/http';
import { graphBody, graphCall, sendEntity, sendGraph, sendNotFound } from './api';
import { sendGraphError } from './errors';
import type { MailFolder, OutlookMailbox } from './mailbox';
import type { MicrosoftState } from './state';

const PAGE_DEFAULT = 10;
const PAGE_MAX = 1000;

export function folderRoutes(router: Router, state: MicrosoftState) {
  router.get('/v1.0/me/mailFolders/:folder', async (ctx) => {
    const call = await graphCall(ctx, state, 'mailFolders.get', 'folders');
    if (!call) return;
    const folder = call.mailbox.folder(ctx.params.folder);
    if (!folder) return sendNotFound(ctx);
    sendEntity(ctx, state, `users('${call.user.id}')/mailFolders`, folderJson(call.mailbox, folder));
  });

  for (const path of ['/v1.0/me/mailFolders', '/v1.0/me/mailFolders/:folder/childFolders']) {
    router.get(path, async (ctx) => {
      const call = await graphCall(ctx, state, 'mailFolders.list', 'folders');
      if (!call) return;
      const parent = ctx.params.folder ? call.mailbox.folder(ctx.params.folder) : call.mailbox.folder('msgfolderroot');
      if (!parent) return sendNotFound(ctx);
      const hidden = ctx.query.get('includeHiddenFolders') === 'true';
      const children = call.mailbox.folders
        .filter((f) => f.parentFolderId === parent.id && (hidden || !f.isHidden))
        .sort((a, b) => a.displayName.localeCompare(b.displayName));
      const top = Math.min(PAGE_MAX, Number(ctx.query.get('$top')) || PAGE_DEFAULT);
      const skip = Number(ctx.query.get('$skip')) || 0;
      const body: Record<string, unknown> = {
        '@odata.context': `${state.graphUrl}/v1.0/$metadata#users('${call.user.id}')/mailFolders`,
        value: children.slice(skip, skip + top).map((f) => select(ctx, folderJson(call.mailbox, f))),
      };
      if (skip + top < children.length) {
        const next = new URL(`${state.graphUrl}${ctx.path}`);
        for (const [key, value] of ctx.query) if (key !== '$skip') next.searchParams.set(key, value);
        next.searchParams.set('$skip', String(skip + top));
        body['@odata.nextLink'] = next.toString();
      }
      sendGraph(ctx, 200, body);
    });

    router.post(path, async (ctx) => {
      const call = await graphCall(ctx, state, 'mailFolders.create', 'folders');
      const body = call && graphBody(ctx);
      if (!call || !body) return;
      const parent = ctx.params.folder ? call.mailbox.folder(ctx.params.folder) : call.mailbox.folder('msgfolderroot');
      if (!parent) return sendNotFound(ctx);
      const name = String(body.displayName || '').trim();
      if (!name) return sendGraphError(ctx, 400, 'ErrorInvalidRequest', 'The folder name is missing.');
      if (call.mailbox.folders.some((f) => f.parentFolderId === parent.id && f.displayName.toLowerCase() === name.toLowerCase())) {
        return sendGraphError(ctx, 409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
      }
      const folder = call.mailbox.createFolder(name, parent.id);
      if (body.isHidden === true) folder.isHidden = true;
      sendGraph(ctx, 201, { '@odata.context': `${state.graphUrl}/v1.0/$metadata#users('${call.user.id}')/mailFolders/$entity`, ...folderJson(call.mailbox, folder) });
    });
  }
}

export function folderJson(mailbox: OutlookMailbox, folder: MailFolder) {
  let total = 0;
  let unread = 0;
  let size = 0;
  for (const m of mailbox.messages.values()) {
    if (m.folderId !== folder.id) continue;
    total += 1;
    size += m.raw.length;
    if (!m.isRead) unread += 1;
  }
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId,
    childFolderCount: mailbox.folders.filter((f) => f.parentFolderId === folder.id).length,
    unreadItemCount: unread,
    totalItemCount: total,
    sizeInBytes: size,
    isHidden: Boolean(folder.isHidden),
  };
}

/** $select on a folder list item (sendEntity does it for single folders). */
function select(ctx: Context, entity: Record<string, unknown>) {
  const wanted = (ctx.query.get('$select') || '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (!wanted.length) return entity;
  return Object.fromEntries(Object.entries(entity).filter(([key]) => key === 'id' || wanted.includes(key.toLowerCase())));
}
