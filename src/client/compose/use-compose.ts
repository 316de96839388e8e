import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ScheduledDraft } from '../../shared/compose-api';
import type { ComposeInput, SendResult } from '../../shared/send-api';
import { Recipient } from './addresses';
import { AutoSaver } from './auto-save';
import { fromEditorHtml, joinBody } from './body-html';
import { filesToSend, RejectedFile } from './compose-files';
import { readPrefs, writePrefs } from './compose-prefs';
import { fromOptions, initialFrom } from './from-options';
import { newId } from './ids';
import { useComposeFiles } from './use-compose-files';
import { mailFingerprint, mailInput, RecipientField, sendProblem, UseComposeOptions } from './compose-mail';

export type { RecipientField, UseComposeOptions } from './compose-mail';

/**
 * One compose's state and actions (S-SEND-*, S-DRAFT-1/2): fields, files, Save draft with the
 * same draft kept, auto-save, Send with one idempotency key for every attempt, Discard.
 */
export function useCompose({ api, init, accounts, preferredAccountId, userId, autoSave, setAutoSave, onMailChanged, t }: UseComposeOptions) {
  const options = useMemo(() => fromOptions(accounts), [accounts]);
  const prefs = useMemo(() => readPrefs(userId), [userId]);
  const [fromValue, setFromValue] = useState<string | undefined>(() => initialFrom(options, init, preferredAccountId, prefs.lastAccountId)?.value);
  const [to, setTo] = useState<Recipient[]>(init.to);
  const [cc, setCc] = useState<Recipient[]>(init.cc);
  const [bcc, setBcc] = useState<Recipient[]>(init.bcc);
  const [subject, setSubject] = useState(init.subject);
  const [body, setBody] = useState(init.body);
  const [quote, setQuote] = useState(init.quote);
  const [draftId, setDraftId] = useState<number | null>(init.draftId);
  const [lastSavedAt, setLastSavedAt] = useState<Date | null>(null);
  const [autoSaveError, setAutoSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rejected, setRejected] = useState<RejectedFile[]>([]);

  // The accounts arrive after the window opened: pick the sender then.
  useEffect(() => {
    if (!fromValue || !options.some((o) => o.value === fromValue)) setFromValue(initialFrom(options, init, preferredAccountId, prefs.lastAccountId)?.value);
  }, [options]); // eslint-disable-line react-hooks/exhaustive-deps -- only new accounts pick the sender again, never the user's own choice

  const draftRef = useRef<number | null>(init.draftId);
  /** One per compose, the same for every attempt (S-SEND-9). */
  const idempotencyKey = useRef(newId()).current;
  const saveChain = useRef<Promise<unknown>>(Promise.resolve());
  const savedPrint = useRef<string | null>(null);
  const saverRef = useRef<AutoSaver | null>(null);
  const sendingRef = useRef(false);
  const fromTouched = useRef(false);

  const editorHtml = useCallback(() => fromEditorHtml(latest.current.body), []);
  const wholeHtml = useCallback(() => joinBody(editorHtml(), latest.current.quote), [editorHtml]);
  const changed = useCallback(() => saverRef.current?.change(), []);

  const files = useComposeFiles({
    api,
    initial: init.files,
    html: wholeHtml,
    onRejected: setRejected,
    onUploadError: (filename, message) => setError(`${filename}: ${message}`),
    onChange: changed,
  });

  const latest = useRef({ fromValue, to, cc, bcc, subject, body, quote, files: files.files });
  latest.current = { fromValue, to, cc, bcc, subject, body, quote, files: files.files };

  /** The mail as the server takes it, from the latest state. */
  const buildInput = useCallback((): ComposeInput | null => {
    return mailInput(latest.current, options, files.currentFiles(), init, draftRef.current);
  }, [options, files, init]);

  /** What the user would lose: compared with the last save (or the opened state). */
  const fingerprint = useCallback(() => {
    return mailFingerprint(latest.current, files.currentFiles(), fromTouched.current);
  }, [files]);
  if (savedPrint.current === null) savedPrint.current = fingerprint();
  const isDirty = useCallback(() => fingerprint() !== savedPrint.current, [fingerprint]);

  const saveNow = useCallback((): Promise<void> => {
    const run = async () => {
      const input = buildInput();
      if (!input) throw new Error(t('Choose the account to send from'));
      const print = fingerprint();
      const taken = filesToSend(files.currentFiles(), input.html || '').filter((f) => f.kind === 'stored' || f.uploadId);
      const saved = await api.saveDraft(input);
      draftRef.current = saved.id;
      setDraftId(saved.id);
      const v = latest.current;
      files.replaceSaved(taken, saved.attachments || [], fromEditorHtml(v.body), v.quote);
      savedPrint.current = print;
      setLastSavedAt(new Date());
      onMailChanged();
    };
    const next = saveChain.current.then(run, run);
    saveChain.current = next.catch(() => undefined);
    return next;
  }, [api, buildInput, fingerprint, files, onMailChanged, t]);

  // The saver lives as long as the window; it calls the latest closures through these refs.
  const saveRef = useRef(saveNow);
  saveRef.current = saveNow;
  const dirtyRef = useRef(isDirty);
  dirtyRef.current = isDirty;
  if (!saverRef.current) {
    saverRef.current = new AutoSaver({
      save: () => saveRef.current(),
      isDirty: () => dirtyRef.current(),
      isBlocked: () => sendingRef.current || files.currentFiles().some((f) => f.kind === 'upload' && f.status === 'uploading'),
      onReport: (e) => setAutoSaveError(e ? e.message : null),
    });
  }
  const saver = saverRef.current;
  // Switched off on unmount (not disposed: React may mount the window again, as StrictMode does).
  useEffect(() => {
    saver.setEnabled(autoSave);
    return () => saver.setEnabled(false);
  }, [autoSave, saver]);

  /** Save draft (the button): errors are shown, not thrown. */
  const saveDraft = useCallback(async (): Promise<boolean> => {
    setSaving(true);
    setError(null);
    try {
      await saveNow();
      saver.savedElsewhere();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setSaving(false);
    }
  }, [saveNow, saver]);

  /** Checks the client can make; the server makes them all again. */
  const validate = useCallback(
    (): string | null => sendProblem(latest.current, options, files.currentFiles(), t),
    [options, files, t],
  );

  /**
   * What Send and Schedule share: the client checks, the sending flag (state for the buttons, ref
   * for the autosave that must not race it), the pending autosave awaited first, and an error shown
   * rather than thrown (null then).
   */
  const whileSending = useCallback(
    async <R>(submit: () => Promise<R>): Promise<R | null> => {
      const problem = validate();
      if (problem) {
        setError(problem);
        return null;
      }
      setSending(true);
      sendingRef.current = true;
      setError(null);
      try {
        await saveChain.current;
        return await submit();
      } catch (e) {
        setError((e as Error).message);
        return null;
      } finally {
        sendingRef.current = false;
        setSending(false);
      }
    },
    [validate],
  );

  const send = useCallback(
    (): Promise<SendResult | null> =>
      whileSending(async () => {
        const input = buildInput()!;
        const result = await api.send({ ...input, idempotencyKey });
        saver.dispose();
        savedPrint.current = fingerprint();
        writePrefs(userId, { lastAccountId: input.accountId });
        onMailChanged();
        return result;
      }),
    [whileSending, buildInput, api, idempotencyKey, saver, fingerprint, userId, onMailChanged],
  );

  /**
   * Schedule send (S-SCHED-1): the same checks as Send, then the server keeps the mail as a draft
   * marked with its time (`sendAt`, ISO with the user's offset). Errors are shown, not thrown.
   */
  const schedule = useCallback(
    (sendAt: string): Promise<ScheduledDraft | null> =>
      whileSending(async () => {
        const result = await api.schedule({ ...buildInput()!, sendAt });
        draftRef.current = result.id;
        setDraftId(result.id);
        saver.dispose();
        savedPrint.current = fingerprint();
        onMailChanged();
        return result;
      }),
    [whileSending, buildInput, api, saver, fingerprint, onMailChanged],
  );

  /** Discard: the saved draft and every upload of this compose are deleted. */
  const discard = useCallback(async () => {
    saver.dispose();
    await saveChain.current;
    const id = draftRef.current;
    if (id) await api.deleteDraft(id).catch(() => undefined);
    await Promise.all(files.uploadIds().map((u) => api.deleteUpload(u).catch(() => undefined)));
    if (id) onMailChanged();
  }, [api, files, saver, onMailChanged]);

  /**
   * Leaving without saving: uploads no save took (still uploads, not the draft's own files) are
   * deleted; a draft saved earlier stays as it was saved.
   */
  const abandon = useCallback(async () => {
    saver.dispose();
    await saveChain.current;
    const unsaved = files.currentFiles().flatMap((f) => (f.kind === 'upload' && f.uploadId ? [f.uploadId] : []));
    await Promise.all(unsaved.map((u) => api.deleteUpload(u).catch(() => undefined)));
  }, [api, files, saver]);

  const setRecipients = useCallback(
    (field: RecipientField, list: Recipient[]) => {
      ({ to: setTo, cc: setCc, bcc: setBcc })[field](list);
      changed();
    },
    [changed],
  );

  /** A setter that also tells auto-save the mail changed. */
  const edit = useCallback(<T,>(set: (value: T) => void) => (value: T) => (set(value), changed()), [changed]);
  const onBody = useMemo(() => edit(setBody), [edit]);

  /**
   * A change the editor made by itself (the default signature put in, or swapped with From): a
   * mail the user has not touched stays untouched, so closing it asks nothing and auto-save waits.
   */
  const setBodyQuietly = useCallback(
    (html: string) => {
      const clean = !isDirty();
      latest.current = { ...latest.current, body: html };
      setBody(html);
      if (clean) savedPrint.current = fingerprint();
      else changed();
    },
    [isDirty, fingerprint, changed],
  );

  return {
    fromOptions: options,
    fromValue,
    setFrom: (value: string) => {
      fromTouched.current = true;
      setFromValue(value);
      changed();
    },
    to,
    cc,
    bcc,
    setRecipients,
    subject,
    setSubject: edit(setSubject),
    body,
    setBody: onBody,
    setBodyQuietly,
    quote,
    removeQuote: () => {
      setQuote('');
      files.dropQuoteImages();
      changed();
    },
    files,
    draftId,
    autoSave,
    setAutoSave,
    lastSavedAt,
    autoSaveError,
    saving,
    sending,
    error,
    setError,
    rejected,
    clearRejected: () => setRejected([]),
    isDirty,
    saveDraft,
    send,
    schedule,
    /** The mail as the server takes it (null without a sender), for other ways of sending (bulk). */
    buildInput,
    validate,
    discard,
    abandon,
    idempotencyKey,
  };
}

export type ComposeController = ReturnType<typeof useCompose>;
