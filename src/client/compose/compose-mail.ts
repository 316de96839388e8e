/**
 * The mail of one editor window, from its state: as the server takes it (mailInput), as a
 * fingerprint for "unsaved changes" (mailFingerprint), and the checks the editor makes on its own
 * before a send (sendProblem; the server makes them all again).
 */
import type { AccountView } from '../accounts/types';
import type { ComposeInput } from '../../shared/send-api';
import { firstInvalid, Recipient, toAddresses } from './addresses';
import { fromEditorHtml, joinBody, withoutCidImages } from './body-html';
import type { ComposeApi } from './compose-api';
import { fileRefs, filesToSend, type ComposeFile } from './compose-files';
import type { ComposeInit } from './compose-load';
import type { FromOption } from './from-options';

export interface UseComposeOptions {
  api: ComposeApi;
  init: ComposeInit;
  accounts: AccountView[];
  /** The account selected in the mail center (the default From of a new mail). */
  preferredAccountId?: number | null;
  userId?: number | string | null;
  /** The user's auto-save switch (S-DRAFT-2): one setting for all their windows. */
  autoSave: boolean;
  setAutoSave(on: boolean): void;
  /** After a save, send or discard: lists and the badge refresh. */
  onMailChanged(): void;
  /** A translated message for a check the client makes itself. */
  t(text: string, options?: Record<string, unknown>): string;
}

export type RecipientField = 'to' | 'cc' | 'bcc';

/** Inline images of the body whose file is gone (failed upload) are taken out rather than sent broken. */
export function dropMissingImages(html: string, known: Set<string>): string {
  return withoutCidImages(html, (cid) => known.has(cid.trim().toLowerCase()));
}

/** The first reason the mail cannot go yet, translated; null when the client sees none. */
export function sendProblem(
  v: { fromValue?: string; to: Recipient[]; cc: Recipient[]; bcc: Recipient[] },
  options: FromOption[],
  files: ComposeFile[],
  t: UseComposeOptions['t'],
): string | null {
  if (!options.some((o) => o.value === v.fromValue && !o.disabled)) return t('Choose the account to send from');
  const bad = firstInvalid(v.to, v.cc, v.bcc);
  if (bad) return t('{{address}} is not a email format', { address: bad.address });
  if (!v.to.length && !v.cc.length && !v.bcc.length) return t('Please add at least one recipient');
  if (files.some((f) => f.kind === 'upload' && f.status === 'uploading')) return t('Please wait until the attachments are uploaded');
  return null;
}

/** What the editor holds of a mail. */
export type MailState = Pick<ComposeInit, 'to' | 'cc' | 'bcc' | 'subject' | 'body' | 'quote'> & { fromValue?: string };

/** The mail as the server takes it; null without a sender. */
export function mailInput(v: MailState, options: FromOption[], files: ComposeFile[], init: ComposeInit, draftId: number | null): ComposeInput | null {
  const from = options.find((o) => o.value === v.fromValue);
  if (!from) return null;
  const sendable = filesToSend(files, joinBody(fromEditorHtml(v.body), v.quote));
  const known = new Set(sendable.filter((f) => f.contentId).map((f) => f.contentId!.trim().toLowerCase()));
  const html = joinBody(dropMissingImages(fromEditorHtml(v.body), known), v.quote);
  const input: ComposeInput = { accountId: from.accountId, from: from.address, to: toAddresses(v.to), cc: toAddresses(v.cc), bcc: toAddresses(v.bcc), subject: v.subject, html, ...fileRefs(files, html) };
  if (init.mode !== 'new' && init.replyToMessageId) Object.assign(input, { mode: init.mode, replyToMessageId: init.replyToMessageId });
  if (draftId) input.draftId = draftId;
  return input;
}

/** What the user would lose, to compare with the last save (or the opened state). */
export function mailFingerprint(v: MailState, files: ComposeFile[], fromTouched: boolean): string {
  const html = joinBody(fromEditorHtml(v.body), v.quote);
  const list = filesToSend(files, html).map((f) => `${f.filename}:${f.size}:${f.contentId || ''}`);
  // An automatic choice of sender (made when the accounts arrive) is not a change of the user's.
  return JSON.stringify([fromTouched ? v.fromValue : '', toAddresses(v.to), toAddresses(v.cc), toAddresses(v.bcc), v.subject, html, list]);
}
