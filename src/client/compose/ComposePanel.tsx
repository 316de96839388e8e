import type { Editor } from '@tiptap/core';
import { Alert, App, Button, Input, InputRef, Modal, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../locale';
import { fileSize } from '../mail-center/format';
import { AttachmentChips } from './AttachmentChips';
import { attachmentChips } from './compose-files';
import { MODE_TITLE } from './compose-load';
import { ComposeFooter } from './ComposeFooter';
import { ComposeFrame, FrameState } from './ComposeFrame';
import { QuotedText } from './QuotedText';
import { BulkRecipientsRow, RecipientRows } from './RecipientRows';
import { RichTextEditor } from './RichTextEditor';
import { ScheduleDialog } from './ScheduleDialog';
import { ScheduledBanner } from './ScheduledBanner';
import { SignaturePicker } from './SignaturePicker';
import { TemplatePicker } from './TemplatePicker';
import { useBulkSend } from './use-bulk-send';
import { useCompose, type UseComposeOptions } from './use-compose';
import { useSignature } from './use-signature';
import { VariableMenu } from './VariableMenu';

export interface ComposePanelProps extends Omit<UseComposeOptions, 't'> {
  right: number;
  /** The window is done (sent, discarded, or closed). */
  onClosed(): void;
  toolbarExtra?: React.ReactNode;
  /** Rendered in the page (the Email send block), not docked. */
  inline?: boolean;
}

/** A loaded compose: the fields, editor, quote and files, with Send, Save draft and the close rules. */
export function ComposePanel({ api, init, accounts, preferredAccountId, userId, autoSave, setAutoSave, right, onMailChanged, onClosed, toolbarExtra, inline }: ComposePanelProps) {
  const t = useT();
  const { message, modal } = App.useApp();
  const c = useCompose({ api, init, accounts, preferredAccountId, userId, autoSave, setAutoSave, onMailChanged, t });
  const [frame, setFrame] = useState<FrameState>('normal');
  const [leaving, setLeaving] = useState(false);
  const [dragging, setDragging] = useState(0);
  const editor = useRef<Editor | null>(null);
  const [editorInstance, setEditorInstance] = useState<Editor | null>(null);
  const closed = useRef(false);
  const [scheduling, setScheduling] = useState(false);
  const [scheduled, setScheduled] = useState(init.scheduled);
  const bulk = useBulkSend({ api, c, bulk: init.bulk, onMailChanged, t });
  const subjectInput = useRef<InputRef>(null);
  /** Where "Insert variable" writes: the field the user was in last. */
  const lastField = useRef<'subject' | 'body'>('body');

  // Changes the editor makes by itself (the default signature) do not count as the user's.
  const quiet = useRef(false);
  const { setBody, setBodyQuietly, isDirty } = c;
  const onEditorChange = useCallback((html: string) => (quiet.current ? setBodyQuietly(html) : setBody(html)), [setBodyQuietly, setBody]);
  const quietly = useCallback((change: () => void) => {
    quiet.current = true;
    try {
      change();
    } finally {
      quiet.current = false;
    }
  }, []);
  const fromAccountId = c.fromOptions.find((o) => o.value === c.fromValue)?.accountId ?? null;
  const signature = useSignature({ api, editor: editorInstance, accountId: fromAccountId, insertDefault: !init.draftId, quietly });

  const finish = useCallback(() => {
    closed.current = true;
    init.objectUrls.concat(c.files.objectUrls()).forEach((url) => URL.revokeObjectURL(url));
    onClosed();
  }, [init, c.files, onClosed]);

  // Leaving the page with unsaved changes asks the browser's own question.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (closed.current || !isDirty()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [isDirty]);

  /** S-DRAFT-1: unsaved changes and auto-save off → Save draft / Discard / Continue editing. */
  const requestClose = async () => {
    if (init.bulk) {
      // A bulk send keeps no draft: leaving with text asks only whether to drop it.
      if (!c.isDirty()) return finish();
      modal.confirm({ title: t('Discard this email?'), okText: t('Discard'), okButtonProps: { danger: true }, zIndex: 1100, onOk: finish });
      return;
    }
    if (!c.isDirty()) {
      await c.abandon();
      finish();
      return;
    }
    if (c.autoSave && (await c.saveDraft())) {
      finish();
      return;
    }
    setLeaving(true);
  };

  const onSend = async () => {
    if (init.bulk) {
      if (await bulk.submit()) {
        message.success(t('Bulk send started'));
        finish();
      }
      return;
    }
    if (await c.send()) {
      message.success(t('Email sent successfully'));
      finish();
    }
  };

  const onSchedule = async (sendAt: string) => {
    const done = init.bulk ? await bulk.submit(sendAt) : await c.schedule(sendAt);
    setScheduling(false);
    if (!done) return;
    message.success(t('Scheduled to be sent at {{time}}', { time: dayjs(sendAt).format('YYYY-MM-DD HH:mm') }));
    finish();
  };

  const cancelSchedule = async () => {
    await api.cancelSchedule(scheduled!.id);
    setScheduled(null);
    onMailChanged();
    message.success(t('Scheduled send canceled. The email is in Drafts.'));
  };

  const insertVariable = (variable: string) => {
    const input = subjectInput.current?.input;
    if (lastField.current === 'subject' && input) {
      const at = input.selectionStart ?? c.subject.length;
      const end = input.selectionEnd ?? at;
      c.setSubject(c.subject.slice(0, at) + variable + c.subject.slice(end));
      return;
    }
    editor.current?.chain().focus().insertContent(variable).run();
  };

  const onDiscard = async () => {
    await c.discard();
    message.success(t('Draft discarded'));
    finish();
  };

  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer?.types || []).includes('Files');
  const title = c.subject.trim() || (init.bulk ? t('Bulk send') : t(MODE_TITLE[init.mode]));
  const chips = attachmentChips(c.files.files, c.quote);

  return (
    <ComposeFrame title={title} state={frame} onState={setFrame} onClose={requestClose} right={right} inline={inline}>
      {scheduled && <ScheduledBanner scheduled={scheduled} onCancel={cancelSchedule} />}
      <div
        className="emc-compose-scroll"
        onDragEnter={(e) => hasFiles(e) && setDragging((n) => n + 1)}
        onDragLeave={(e) => hasFiles(e) && setDragging((n) => Math.max(0, n - 1))}
        onDragOver={(e) => hasFiles(e) && e.preventDefault()}
        onDrop={(e) => {
          setDragging(0);
          if (!hasFiles(e)) return;
          e.preventDefault();
          c.files.addAttachments(Array.from(e.dataTransfer.files));
        }}
      >
        {dragging > 0 && <div className="emc-compose-drop">{t('Drop files here to attach them')}</div>}
        <div className="emc-compose-row">
          <span className="emc-compose-label">{t('From')}</span>
          <Select
            className="emc-compose-field"
            variant="borderless"
            value={c.fromValue}
            onChange={c.setFrom}
            options={c.fromOptions.map((o) => ({ value: o.value, label: o.label, disabled: o.disabled }))}
            placeholder={t('Choose the account to send from')}
            data-testid="compose-from"
          />
        </div>
        {init.bulk ? (
          <BulkRecipientsRow count={bulk.count} preview={bulk.preview} error={bulk.previewError} />
        ) : (
          <RecipientRows c={c} suggest={api.suggestAddresses} initial={init} />
        )}
        <div className="emc-compose-row">
          <Input
            ref={subjectInput}
            variant="borderless"
            value={c.subject}
            onChange={(e) => c.setSubject(e.target.value)}
            onFocus={() => (lastField.current = 'subject')}
            placeholder={t('Subject')}
            style={{ paddingLeft: 0 }}
            data-testid="compose-subject"
          />
        </div>
        <RichTextEditor
          initialHtml={init.body}
          placeholder={t('Write your message')}
          onChange={onEditorChange}
          onImages={init.bulk ? () => [] : c.files.addEditorImages}
          onFiles={init.bulk ? () => undefined : c.files.addAttachments}
          images={!init.bulk}
          toolbarExtra={
            <>
              <SignaturePicker api={api} editor={editorInstance} accountId={fromAccountId} onPick={signature.pick} />
              <TemplatePicker api={api} editor={editorInstance} body={c.body} subject={c.subject} setSubject={c.setSubject} />
              {init.bulk && <VariableMenu fields={init.bulk.fields || []} onInsert={insertVariable} />}
              {toolbarExtra}
            </>
          }
          onReady={(e) => {
            editor.current = e;
            setEditorInstance(e);
            e.on('focus', () => (lastField.current = 'body'));
            if (init.mode !== 'new') e.commands.focus('start');
          }}
        />
        <QuotedText api={api} html={c.quote} messageId={init.quoteMessageId} attachments={init.quoteAttachments} onRemove={c.removeQuote} />
        <AttachmentChips files={chips} onRemove={c.files.removeFile} />
      </div>
      <div className="emc-compose-alerts">
        {c.rejected.length > 0 && (
          <Alert
            type="error"
            showIcon
            closable
            onClose={c.clearRejected}
            message={t('Attachments exceed 25 MB in total')}
            description={c.rejected.map((f) => `${f.filename} (${fileSize(f.size)})`).join(', ')}
            data-testid="compose-too-large"
          />
        )}
        {c.autoSaveError && <Alert type="warning" showIcon message={t('Auto-save failed: {{message}}', { message: c.autoSaveError })} data-testid="compose-autosave-error" />}
        {c.error && <Alert type="error" showIcon closable onClose={() => c.setError(null)} message={c.error} data-testid="compose-error" />}
      </div>
      <ComposeFooter
        c={c}
        onSend={onSend}
        onSave={c.saveDraft}
        onDiscard={onDiscard}
        onSchedule={() => setScheduling(true)}
        bulk={init.bulk ? { count: bulk.count, busy: bulk.busy } : null}
      />
      <ScheduleDialog open={scheduling} busy={c.sending || bulk.busy} onCancel={() => setScheduling(false)} onSchedule={onSchedule} />
      <Modal
        open={leaving}
        title={t('Save this draft?')}
        onCancel={() => setLeaving(false)}
        zIndex={1100}
        footer={[
          <Button key="continue" onClick={() => setLeaving(false)} data-testid="compose-leave-continue">
            {t('Continue editing')}
          </Button>,
          <Button
            key="discard"
            danger
            onClick={async () => {
              setLeaving(false);
              await c.abandon();
              finish();
            }}
            data-testid="compose-leave-discard"
          >
            {t('Discard')}
          </Button>,
          <Button
            key="save"
            type="primary"
            onClick={async () => {
              setLeaving(false);
              if (await c.saveDraft()) finish();
            }}
            data-testid="compose-leave-save"
          >
            {t('Save draft')}
          </Button>,
        ]}
      >
        <Typography.Paragraph>{t('This email has changes that are not saved.')}</Typography.Paragraph>
      </Modal>
    </ComposeFrame>
  );
}
