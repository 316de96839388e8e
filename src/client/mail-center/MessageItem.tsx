import { ArrowRightOutlined, EditOutlined, MoreOutlined, PaperClipOutlined, RollbackOutlined, StarFilled, StarOutlined } from '@ant-design/icons';
import { Alert, Avatar, Button, Dropdown, Modal, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import React from 'react';
import type { Address, MessageView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { AttachmentList } from './AttachmentList';
import { addressFull, addressName, fullDate, listDate } from './format';
import { findCids, normalizeCid } from './html-prep';
import { HtmlBody } from './HtmlBody';
import type { MailApi } from './mail-api';
import { PlainTextBody } from './PlainTextBody';

/** What the "…" menu of one message does (S-CENTER-7); scope `message`. */
export type MessageAction = 'unread' | 'star' | 'unstar' | 'archive' | 'trash' | 'restore' | 'destroyForever';

export interface MessageItemProps {
  api: MailApi;
  message: MessageView;
  expanded: boolean;
  editable: boolean;
  onToggle(): void;
  onAction(action: MessageAction, message: MessageView): void;
  /** Reply, Reply all, Forward, or (a draft) continue it in the editor; absent without an editor. */
  onCompose?(mode: ComposeAction, message: MessageView): void;
}

export type ComposeAction = 'reply' | 'replyAll' | 'forward' | 'editDraft';

const AVATAR_COLORS = ['#f56a00', '#7265e6', '#00a2ae', '#1677ff', '#eb2f96', '#52c41a', '#fa8c16', '#13c2c2'];
function avatarColor(seed: string) {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[hash % AVATAR_COLORS.length];
}

function Recipients({ label, list }: { label: string; list: Address[] }) {
  if (!list?.length) return null;
  return (
    <div className="emc-msg-meta">
      {label}: {list.map(addressFull).join(', ')}
    </div>
  );
}

/** Attachments the body shows itself (its `cid:` images) are not listed again. */
function listedAttachments(message: MessageView) {
  const shown = new Set(message.html ? findCids(message.html).map(normalizeCid) : []);
  return message.attachments.filter((a) => !(a.inline && a.contentId && shown.has(normalizeCid(a.contentId))));
}

/** One mail of a conversation: collapsed to a line, or expanded with its body and attachments. */
export function MessageItem({ api, message, expanded, editable, onToggle, onAction, onCompose }: MessageItemProps) {
  const t = useT();
  const sender = message.from[0];
  const senderName = sender ? addressName(sender) : t('(unknown sender)');
  const inTrash = message.box === 'trash';

  const items: MenuProps['items'] = inTrash
    ? [
        { key: 'restore', label: t('Put back') },
        { key: 'destroyForever', label: t('Permanently delete'), danger: true },
      ]
    : [
        { key: 'unread', label: t('Mark as unread') },
        { key: message.starred ? 'unstar' : 'star', label: message.starred ? t('Remove star') : t('Star') },
        ...(message.box === 'archive' || message.box === 'spam'
          ? [{ key: 'restore', label: t('Move to Inbox') }]
          : [{ key: 'archive', label: t('Archive') }]),
        { key: 'trash', label: t('Move to trash') },
      ];

  const onMenu: MenuProps['onClick'] = ({ key, domEvent }) => {
    domEvent.stopPropagation();
    if (key === 'destroyForever') {
      Modal.confirm({
        title: t('Permanently delete this mail?'),
        content: t('It is deleted from the mailbox at the provider too. This cannot be undone.'),
        okText: t('Permanently delete'),
        okButtonProps: { danger: true, 'data-testid': 'confirm-destroy-message' } as any,
        onOk: () => onAction('destroyForever', message),
      });
      return;
    }
    onAction(key as MessageAction, message);
  };

  return (
    <div className="emc-msg" data-testid={`mail-message-${message.id}`} data-expanded={String(expanded)}>
      <div className="emc-msg-head" onClick={onToggle} role="button" aria-expanded={expanded} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && onToggle()}>
        <Avatar style={{ background: avatarColor(sender?.address || '?'), flex: 'none' }}>{senderName.slice(0, 1).toUpperCase()}</Avatar>
        <div className="emc-msg-who">
          <div>
            <Typography.Text strong={!message.read}>{senderName}</Typography.Text>
            {expanded && sender && sender.name && <Typography.Text type="secondary"> &lt;{sender.address}&gt;</Typography.Text>}
            {message.draft && (
              <Tag color="red" style={{ marginLeft: 8 }}>
                {t('Draft')}
              </Tag>
            )}
          </div>
          {expanded ? (
            <>
              <Recipients label={t('To')} list={message.to} />
              <Recipients label={t('Cc')} list={message.cc} />
              <Recipients label={t('Bcc')} list={message.bcc} />
            </>
          ) : (
            <div className="emc-msg-snippet">{message.snippet}</div>
          )}
        </div>
        <div style={{ display: 'flex', alignItems: 'center', gap: 4, flex: 'none' }} onClick={(e) => expanded && e.stopPropagation()}>
          {message.hasAttachments && !expanded && <PaperClipOutlined style={{ opacity: 0.6 }} />}
          <Tooltip title={fullDate(message.date)}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {expanded ? fullDate(message.date) : listDate(message.date)}
            </Typography.Text>
          </Tooltip>
          {expanded && editable && (
            <>
              <Button
                type="text"
                size="small"
                className={`emc-star${message.starred ? ' emc-on' : ''}`}
                icon={message.starred ? <StarFilled /> : <StarOutlined />}
                aria-label={message.starred ? t('Remove star') : t('Star')}
                onClick={() => onAction(message.starred ? 'unstar' : 'star', message)}
              />
              <Dropdown menu={{ items, onClick: onMenu }} trigger={['click']}>
                <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('More')} data-testid={`mail-message-menu-${message.id}`} />
              </Dropdown>
            </>
          )}
        </div>
      </div>
      {expanded && (
        <div className="emc-msg-body">
          {message.box === 'scheduled' && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid={`mail-provider-scheduled-${message.id}`}
              message={t('This email was scheduled in Gmail. It can only be changed or cancelled in Gmail.')}
            />
          )}
          {message.html ? (
            <HtmlBody api={api} messageId={message.id} html={message.html} attachments={message.attachments} />
          ) : message.text ? (
            <PlainTextBody text={message.text} />
          ) : (
            <Typography.Text type="secondary">{t('This mail has no text.')}</Typography.Text>
          )}
          <AttachmentList api={api} attachments={listedAttachments(message)} />
          {editable && onCompose && message.box !== 'scheduled' && <ComposeButtons message={message} onCompose={onCompose} />}
        </div>
      )}
    </div>
  );
}

/** The buttons under an expanded mail (S-SEND-1); a draft offers to continue it instead. */
function ComposeButtons({ message, onCompose }: { message: MessageView; onCompose(mode: ComposeAction, message: MessageView): void }) {
  const t = useT();
  if (message.draft) {
    return (
      <div className="emc-msg-compose">
        <Button icon={<EditOutlined />} onClick={() => onCompose('editDraft', message)} data-testid={`mail-edit-draft-${message.id}`}>
          {t('Edit draft')}
        </Button>
      </div>
    );
  }
  return (
    <div className="emc-msg-compose">
      <Button icon={<RollbackOutlined />} onClick={() => onCompose('reply', message)} data-testid={`mail-reply-${message.id}`}>
        {t('Reply')}
      </Button>
      <Button icon={<RollbackOutlined />} onClick={() => onCompose('replyAll', message)} data-testid={`mail-reply-all-${message.id}`}>
        {t('Reply all')}
      </Button>
      <Button icon={<ArrowRightOutlined />} onClick={() => onCompose('forward', message)} data-testid={`mail-forward-${message.id}`}>
        {t('Forward')}
      </Button>
    </div>
  );
}
