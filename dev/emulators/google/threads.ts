/**
 * users.threads: list (threads whose messages match, newest activity first) and get (the
 * thread's messages oldest first, format full / metadata / minimal).
 */
import type { Router } from '../shared/http';
import { messageResource, snippetOf } from './format';
import { GMAIL_PREFIX, maxResultsOf, sendBadRequest, sendGmail, sendNotFound } from './api';
import type { GmailMessage } from './mailbox';
import { formatOf, matching } from './messages';
import { gmailCall } from './quota';
import type { GoogleState } from './state';

const P = `${GMAIL_PREFIX}/threads`;

export function threadRoutes(router: Router, state: GoogleState) {
  router.get(P, async (ctx) => {
    const found = await gmailCall(ctx, state, 'threads.list');
    if (!found) return;
    const { mailbox } = found;
    // matching() is newest first, so each thread appears at its newest matching message.
    const seen = new Set<string>();
    const threads: GmailMessage[] = [];
    for (const m of matching(ctx, mailbox)) {
      if (seen.has(m.threadId)) continue;
      seen.add(m.threadId);
      threads.push(m);
    }
    const start = Number(ctx.query.get('pageToken') || 0);
    if (!Number.isInteger(start) || start < 0) return sendBadRequest(ctx, 'Invalid pageToken');
    const size = maxResultsOf(ctx);
    const page = threads.slice(start, start + size);
    sendGmail(ctx, {
      ...(page.length
        ? { threads: page.map((m) => ({ id: m.threadId, snippet: snippetOf(mailbox, m), historyId: String(threadMessages(mailbox.messages.values(), m.threadId).reduce((h, x) => Math.max(h, x.historyId), 0)) })) }
        : {}),
      ...(start + size < threads.length ? { nextPageToken: String(start + size) } : {}),
      resultSizeEstimate: threads.length,
    });
  });

  router.get(`${P}/:id`, async (ctx) => {
    const found = await gmailCall(ctx, state, 'threads.get');
    if (!found) return;
    const format = formatOf(ctx, ['full', 'metadata', 'minimal']);
    if (!format) return;
    const messages = threadMessages(found.mailbox.messages.values(), ctx.params.id);
    if (!messages.length) return sendNotFound(ctx);
    const historyId = messages.reduce((h, m) => Math.max(h, m.historyId), 0);
    sendGmail(ctx, {
      id: ctx.params.id,
      historyId: String(historyId),
      messages: messages.map((m) => messageResource(found.mailbox, m, format, ctx.query.getAll('metadataHeaders'))),
    });
  });
}

function threadMessages(all: Iterable<GmailMessage>, threadId: string) {
  return [...all].filter((m) => m.threadId === threadId).sort((a, b) => a.internalDate - b.internalDate);
}
