import { Alert, App, Button, Result, Skeleton, Space, Tag, Typography } from 'antd';
import React, { useCallback, useEffect, useState } from 'react';
import type { LabelView, MessageView, ThreadView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import type { MailApi } from './mail-api';
import { ComposeAction, MessageAction, MessageItem } from './MessageItem';
import { ReaderSidePanel } from './ReaderSidePanel';
import type { MailAccount } from './types';

export interface ReaderProps {
  api: MailApi;
  /** The row's mail id (ThreadRow.id). */
  rowId: number;
  accounts: MailAccount[];
  labels: LabelView[];
  onBack(): void;
  /** Something changed the list's data (read state, box, labels…): reload list and counts. */
  onChanged(): void;
  onLabelsChanged(): Promise<void> | void;
  /** Reply / Reply all / Forward / Edit draft on one of the mails; absent without an editor. */
  onCompose?(mode: ComposeAction, message: MessageView): void;
}

/** The conversation view (S-CENTER-6…10): oldest first, the newest mail expanded. */
export function Reader({ api, rowId, accounts, labels, onBack, onChanged, onLabelsChanged, onCompose }: ReaderProps) {
  const t = useT();
  const { message } = App.useApp();
  const [thread, setThread] = useState<ThreadView | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());

  const load = useCallback(async () => {
    try {
      const next = await api.thread(rowId);
      setThread(next);
      setError(null);
      return next;
    } catch (e: any) {
      setError({ message: e.message, missing: e?.details?.status === 404 });
      return null;
    }
  }, [api, rowId]);

  useEffect(() => {
    let live = true;
    setThread(null);
    setError(null);
    load().then(async (loaded) => {
      if (!live || !loaded) return;
      const newest = loaded.messages[loaded.messages.length - 1];
      setExpanded(new Set(newest ? [newest.id] : []));
      // Only the owner's own viewing marks mail read (S-CENTER-7, S-ACL-5).
      if (loaded.editable && loaded.messages.some((m) => !m.read)) {
        try {
          await api.setRead({ ids: [rowId], scope: 'thread', read: true });
          if (live) setThread((th) => th && { ...th, messages: th.messages.map((m) => ({ ...m, read: true })) });
          onChanged();
        } catch {
          // Reading still works; the mail simply stays unread.
        }
      }
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- onChanged is left out on purpose: a new function from the parent must not reload the thread
  }, [api, rowId, load]);

  const onMessageAction = async (action: MessageAction, target: MessageView) => {
    const input = { ids: [target.id], scope: 'message' as const };
    try {
      if (action === 'unread') await api.setRead({ ...input, read: false });
      else if (action === 'star' || action === 'unstar') await api.setStarred({ ...input, starred: action === 'star' });
      else if (action === 'archive') await api.archive(input);
      else if (action === 'trash') await api.trash(input);
      else if (action === 'restore') await api.restore(input);
      else if (action === 'destroyForever') await api.destroyForever(input);
      onChanged();
      if (action === 'unread') {
        // As in Gmail: marking unread means "later", so the reader closes.
        onBack();
        return;
      }
      const next = await load();
      // The last visible mail left this view (e.g. moved to Trash): back to the list.
      if (!next || !next.messages.length) onBack();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  if (error) {
    return (
      <Result
        status={error.missing ? '404' : 'warning'}
        title={error.missing ? t('This email no longer exists') : t('The mail could not be loaded')}
        subTitle={error.missing ? undefined : error.message}
        extra={<Button onClick={onBack}>{t('Back to the list')}</Button>}
        data-testid="mail-reader"
      />
    );
  }
  if (!thread) {
    return (
      <div style={{ padding: 24 }} data-testid="mail-reader" data-loading="true">
        <Skeleton active paragraph={{ rows: 6 }} />
      </div>
    );
  }

  const account = accounts.find((a) => a.id === thread.accountId);
  return (
    <div className="emc-reader" data-testid="mail-reader" data-loading="false">
      <div className="emc-reader-main">
        <div style={{ marginBottom: 16 }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="mail-reader-subject">
            {thread.subject?.trim() || t('(no subject)')}
          </Typography.Title>
          <Space size={4} wrap style={{ marginTop: 6 }}>
            {account && <Tag bordered={false}>{account.email}</Tag>}
            {thread.labels.map((label) => (
              <Tag key={label.id} color={label.color}>
                {label.name}
              </Tag>
            ))}
          </Space>
        </div>
        {!thread.editable && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('You are viewing this mail read-only.')} />}
        {thread.messages.map((m) => (
          <MessageItem
            key={m.id}
            api={api}
            message={m}
            editable={thread.editable}
            expanded={expanded.has(m.id)}
            onToggle={() =>
              setExpanded((set) => {
                const next = new Set(set);
                if (next.has(m.id)) next.delete(m.id);
                else next.add(m.id);
                return next;
              })
            }
            onAction={onMessageAction}
            onCompose={onCompose}
          />
        ))}
      </div>
      {thread.editable && (
        <ReaderSidePanel
          api={api}
          rowId={rowId}
          thread={thread}
          labels={labels}
          onThreadChanged={async () => {
            await load();
            onChanged();
          }}
          onLabelsChanged={onLabelsChanged}
        />
      )}
    </div>
  );
}
