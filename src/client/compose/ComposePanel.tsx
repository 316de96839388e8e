import type { Editor } from '@tiptap/core';
import { Alert, App, Button, Input, Modal, Select, Space, Typography } from 'antd';
import React, { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountView } from '../accounts/types';
import { useT } from '../locale';
import { fileSize } from '../mail-center/format';
import { AttachmentChips } from './AttachmentChips';
import type { ComposeApi } from './compose-api';
import { attachmentChips } from './compose-files';
import { ComposeInit, MODE_TITLE } from './compose-load';
import { ComposeFooter } from './ComposeFooter';
import { ComposeFrame, FrameState } from './ComposeFrame';
import { QuotedText } from './QuotedText';
import { RecipientInput } from './RecipientInput';
import { RichTextEditor } from './RichTextEditor';
import { useCompose } from './use-compose';

export interface ComposePanelProps {
  api: ComposeApi;
  init: ComposeInit;
  accounts: AccountView[];
  preferredAccountId?: number | null;
  userId?: number | string | null;
  autoSave: boolean;
  setAutoSave(on: boolean): void;
  right: number;
  onMailChanged(): void;
  /** The window is done (sent, discarded, or closed). */
  onClosed(): void;
  toolbarExtra?: React.ReactNode;
}

/** A loaded compose: the fields, editor, quote and files, with Send, Save draft and the close rules. */
export function ComposePanel({ api, init, accounts, preferredAccountId, userId, autoSave, setAutoSave, right, onMailChanged, onClosed, toolbarExtra }: ComposePanelProps) {
  const t = useT();
  const { message } = App.useApp();
  const c = useCompose({ api, init, accounts, preferredAccountId, userId, autoSave, setAutoSave, onMailChanged, t });
  const [frame, setFrame] = useState<FrameState>('normal');
  const [showCc, setShowCc] = useState(init.cc.length > 0);
  const [showBcc, setShowBcc] = useState(init.bcc.length > 0);
  const [leaving, setLeaving] = useState(false);
  const [dragging, setDragging] = useState(0);
  const editor = useRef<Editor | null>(null);
  const closed = useRef(false);

  const finish = useCallback(() => {
    closed.current = true;
    init.objectUrls.concat(c.files.objectUrls()).forEach((url) => URL.revokeObjectURL(url));
    onClosed();
  }, [init, c.files, onClosed]);

  // Leaving the page with unsaved changes asks the browser's own question.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (closed.current || !c.isDirty()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [c.isDirty]);

  /** S-DRAFT-1: unsaved changes and auto-save off → Save draft / Discard / Continue editing. */
  const requestClose = async () => {
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
    if (await c.send()) {
      message.success(t('Email sent successfully'));
      finish();
    }
  };

  const onDiscard = async () => {
    await c.discard();
    message.success(t('Draft discarded'));
    finish();
  };

  const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer?.types || []).includes('Files');
  const title = c.subject.trim() || t(MODE_TITLE[init.mode]);
  const chips = attachmentChips(c.files.files, c.quote);

  return (
    <ComposeFrame title={title} state={frame} onState={setFrame} onClose={requestClose} right={right}>
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
        <div className="emc-compose-row">
          <span className="emc-compose-label">{t('To')}</span>
          <div className="emc-compose-field">
            <RecipientInput value={c.to} onChange={(v) => c.setRecipients('to', v)} suggest={api.suggestAddresses} testId="compose-to" autoFocus={init.mode === 'new' && !init.to.length} />
          </div>
          <Space size={0} className="emc-compose-toggles">
            {!showCc && (
              <Button type="link" size="small" onClick={() => setShowCc(true)} data-testid="compose-show-cc">
                {t('Cc')}
              </Button>
            )}
            {!showBcc && (
              <Button type="link" size="small" onClick={() => setShowBcc(true)} data-testid="compose-show-bcc">
                {t('Bcc')}
              </Button>
            )}
          </Space>
        </div>
        {showCc && (
          <div className="emc-compose-row">
            <span className="emc-compose-label">{t('Cc')}</span>
            <div className="emc-compose-field">
              <RecipientInput value={c.cc} onChange={(v) => c.setRecipients('cc', v)} suggest={api.suggestAddresses} testId="compose-cc" />
            </div>
          </div>
        )}
        {showBcc && (
          <div className="emc-compose-row">
            <span className="emc-compose-label">{t('Bcc')}</span>
            <div className="emc-compose-field">
              <RecipientInput value={c.bcc} onChange={(v) => c.setRecipients('bcc', v)} suggest={api.suggestAddresses} testId="compose-bcc" />
            </div>
          </div>
        )}
        <div className="emc-compose-row">
          <Input variant="borderless" value={c.subject} onChange={(e) => c.setSubject(e.target.value)} placeholder={t('Subject')} style={{ paddingLeft: 0 }} data-testid="compose-subject" />
        </div>
        <RichTextEditor
          initialHtml={init.body}
          placeholder={t('Write your message')}
          onChange={c.setBody}
          onImages={c.files.addEditorImages}
          onFiles={c.files.addAttachments}
          toolbarExtra={toolbarExtra}
          onReady={(e) => {
            editor.current = e;
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
      <ComposeFooter c={c} onSend={onSend} onSave={c.saveDraft} onDiscard={onDiscard} />
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
