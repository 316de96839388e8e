import { Alert, App, Button, Descriptions, Drawer, Skeleton, Space, Tag } from 'antd';
import React, { useEffect, useState } from 'react';
import type { BlockMessage } from '../../../shared/block-api';
import type { OpenComposeOptions } from '../../compose/compose-load';
import { useT } from '../../locale';
import { AttachmentList } from '../../mail-center/AttachmentList';
import { addressFull, fullDate } from '../../mail-center/format';
import { HtmlBody } from '../../mail-center/HtmlBody';
import type { MailApi } from '../../mail-center/mail-api';
import { notifyMailChanged } from '../../mail-center/mail-events';
import { PlainTextBody } from '../../mail-center/PlainTextBody';
import type { BlockApi } from './block-api';
import { DETAIL_BUTTON_TITLES, DetailButton, DETAIL_BUTTONS, MUTATING_BUTTONS } from './fields';

export interface EmailDetailsProps {
  api: BlockApi;
  mail: MailApi;
  /** The bottom buttons chosen in the block's settings. */
  buttons: DetailButton[];
  openCompose?: (options: OpenComposeOptions) => void;
  /** After an action that takes the mail away (archive, trash) or a reply was opened. */
  onDone?: () => void;
}

/** The buttons a mail gets: none that change anything on another user's mail (S-ACL-5). */
export function visibleButtons(buttons: DetailButton[], message: Pick<BlockMessage, 'readOnly' | 'draft'>, canCompose: boolean) {
  return DETAIL_BUTTONS.filter((b) => buttons.includes(b))
    .filter((b) => !(message.readOnly && MUTATING_BUTTONS.includes(b)))
    .filter((b) => canCompose || !['reply', 'replyAll', 'forward'].includes(b))
    .filter((b) => !(message.draft && ['reply', 'replyAll', 'forward'].includes(b)));
}

/**
 * The Email details (S-BLOCK-5): headers, the sanitised body (the mail center's sandboxed
 * reader), attachments and the configured buttons. Opening one's own unread mail marks it read,
 * as the mail center does; another user's mail is only looked at.
 */
export function EmailDetailsView({ message, mail, buttons, openCompose, onDone, onChanged }: EmailDetailsProps & { message: BlockMessage; onChanged(): void }) {
  const t = useT();
  const { message: toast } = App.useApp();
  const [busy, setBusy] = useState<DetailButton | null>(null);
  const attachments = message.allAttachments.filter((a) => !a.inline);

  const run = async (button: DetailButton) => {
    if (button === 'reply' || button === 'replyAll' || button === 'forward') {
      openCompose?.({ mode: button, replyToMessageId: message.id });
      return;
    }
    setBusy(button);
    try {
      const input = { ids: [message.id], scope: 'message' as const };
      if (button === 'markUnread') await mail.setRead({ ...input, read: false });
      if (button === 'archive') await mail.archive(input);
      if (button === 'trash') await mail.trash(input);
      notifyMailChanged();
      toast.success(t('Done'));
      if (button === 'markUnread') onChanged();
      else onDone?.();
    } catch (e) {
      toast.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const list = visibleButtons(buttons, message, Boolean(openCompose));
  return (
    <div data-testid="email-details" data-id={message.id}>
      <h3 data-testid="email-details-subject" style={{ marginTop: 0 }}>
        {message.subject || t('(no subject)')}
        {message.readOnly && (
          <Tag style={{ marginLeft: 8 }} data-testid="email-details-readonly">
            {t('Read-only')}
          </Tag>
        )}
      </h3>
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('From')}>{message.from.map(addressFull).join(', ')}</Descriptions.Item>
        <Descriptions.Item label={t('To')}>{message.to.map(addressFull).join(', ')}</Descriptions.Item>
        {message.cc.length > 0 && <Descriptions.Item label={t('Cc')}>{message.cc.map(addressFull).join(', ')}</Descriptions.Item>}
        {message.bcc.length > 0 && <Descriptions.Item label={t('Bcc')}>{message.bcc.map(addressFull).join(', ')}</Descriptions.Item>}
        <Descriptions.Item label={t('Date')}>{fullDate(message.date)}</Descriptions.Item>
        <Descriptions.Item label={t('Account')}>{message.account}</Descriptions.Item>
      </Descriptions>
      {message.html ? (
        <HtmlBody api={mail} messageId={message.id} html={message.html} attachments={message.allAttachments} />
      ) : (
        <PlainTextBody text={message.text || ''} />
      )}
      {attachments.length > 0 && <AttachmentList api={mail} attachments={attachments} />}
      {list.length > 0 && (
        <Space wrap style={{ marginTop: 16 }} data-testid="email-details-buttons">
          {list.map((b) => (
            <Button key={b} loading={busy === b} onClick={() => run(b)} data-testid={`email-details-${b}`} type={b === 'reply' ? 'primary' : 'default'}>
              {t(DETAIL_BUTTON_TITLES[b])}
            </Button>
          ))}
        </Space>
      )}
    </div>
  );
}

/** Loads one mail of the block (the caller's or, read-only, another user's) and shows it. */
export function EmailDetailsLoader({ messageId, ...props }: EmailDetailsProps & { messageId: number }) {
  const [message, setMessage] = useState<BlockMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const { api, mail } = props;
  useEffect(() => {
    let live = true;
    setError(null);
    api.get(messageId).then(
      async (m) => {
        if (!live) return;
        setMessage(m);
        if (!m.readOnly && !m.read && !m.draft) {
          // Opening one's own unread mail reads it; a failure here only leaves it unread.
          try {
            await mail.setRead({ ids: [m.id], scope: 'message', read: true });
            notifyMailChanged();
          } catch {
            // Nothing to tell the user: the mail is shown all the same.
          }
        }
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, mail, messageId, tick]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!message || message.id !== messageId) return <Skeleton active />;
  return <EmailDetailsView {...props} message={message} onChanged={() => setTick((n) => n + 1)} />;
}

export function EmailDetailsDrawer({ messageId, onClose, ...props }: EmailDetailsProps & { messageId: number | null; onClose(): void }) {
  const t = useT();
  const openCompose = props.openCompose
    ? (options: OpenComposeOptions) => {
        onClose();
        props.openCompose!(options);
      }
    : undefined;
  return (
    <Drawer open={messageId !== null} onClose={onClose} width={820} title={t('Email details')} destroyOnClose data-testid="email-details-drawer">
      {messageId !== null && <EmailDetailsLoader {...props} openCompose={openCompose} onDone={onClose} messageId={messageId} />}
    </Drawer>
  );
}
