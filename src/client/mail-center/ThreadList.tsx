import { CheckSquareOutlined, ClockCircleOutlined, ExclamationCircleOutlined, FileTextOutlined, PaperClipOutlined, StarFilled, StarOutlined } from '@ant-design/icons';
import { Checkbox, Empty, Skeleton, Tag, Tooltip } from 'antd';
import React, { useEffect, useRef } from 'react';
import type { ThreadRow } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { correspondentsText, fullDate, listDate } from './format';
import { BOX_TITLE, MailView } from './types';

export interface ThreadListProps {
  rows: ThreadRow[];
  loading: boolean;
  view: MailView;
  emptyText: string;
  selected: Set<number>;
  /** Index of the keyboard cursor (j/k). */
  cursor: number;
  onToggleSelect(row: ThreadRow): void;
  onOpen(row: ThreadRow): void;
  onStar(row: ThreadRow): void;
}

/** The conversation list (S-CENTER-3): one row per conversation, newest first, as the server pages it. */
export function ThreadList({ rows, loading, view, emptyText, selected, cursor, onToggleSelect, onOpen, onStar }: ThreadListProps) {
  const t = useT();
  const listRef = useRef<HTMLDivElement>(null);

  // Keep the cursor row in sight while j/k move it.
  useEffect(() => {
    const row = listRef.current?.querySelector<HTMLElement>('[data-cursor="true"]');
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [cursor]);

  if (loading && !rows.length) {
    return (
      <div style={{ padding: 16 }} data-testid="mail-list-loading">
        <Skeleton active title={false} paragraph={{ rows: 8, width: '100%' }} />
      </div>
    );
  }
  if (!rows.length) {
    return <Empty style={{ marginTop: 96 }} image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} data-testid="mail-empty" />;
  }
  return (
    <div ref={listRef} role="list" style={{ opacity: loading ? 0.6 : 1, transition: 'opacity .2s' }}>
      {rows.map((row, index) => (
        <ThreadRowItem
          key={row.id}
          row={row}
          view={view}
          isCursor={index === cursor}
          isSelected={selected.has(row.id)}
          onToggleSelect={onToggleSelect}
          onOpen={onOpen}
          onStar={onStar}
          t={t}
        />
      ))}
    </div>
  );
}

interface RowProps {
  row: ThreadRow;
  view: MailView;
  isCursor: boolean;
  isSelected: boolean;
  onToggleSelect(row: ThreadRow): void;
  onOpen(row: ThreadRow): void;
  onStar(row: ThreadRow): void;
  t: ReturnType<typeof useT>;
}

function ThreadRowItem({ row, view, isCursor, isSelected, onToggleSelect, onOpen, onStar, t }: RowProps) {
  const classes = ['emc-row', row.unread && 'emc-unread', isSelected && 'emc-selected', isCursor && 'emc-cursor'].filter(Boolean).join(' ');
  const who = correspondentsText(row.correspondents) || t('(no recipient)');
  // Sent and Drafts show whom the mail went to; the server already picked To for those rows.
  const toPrefix = view.box === 'sent' || view.box === 'drafts' ? `${t('To')}: ` : '';
  const showBox = row.box && row.box !== view.box && BOX_TITLE[row.box as keyof typeof BOX_TITLE];
  const stop = (e: React.SyntheticEvent) => e.stopPropagation();
  return (
    <div
      role="listitem"
      className={classes}
      data-testid={`thread-row-${row.id}`}
      data-unread={String(row.unread)}
      data-cursor={String(isCursor)}
      data-selected={String(isSelected)}
      onClick={() => onOpen(row)}
    >
      <span onClick={stop}>
        <Checkbox checked={isSelected} onChange={() => onToggleSelect(row)} aria-label={t('Select')} data-testid={`thread-select-${row.id}`} />
      </span>
      <Tooltip title={row.starred ? t('Starred') : t('Not starred')} mouseEnterDelay={0.6}>
        <span
          role="button"
          aria-pressed={row.starred}
          aria-label={t('Star')}
          className={`emc-star${row.starred ? ' emc-on' : ''}`}
          data-testid={`thread-star-${row.id}`}
          onClick={(e) => {
            stop(e);
            onStar(row);
          }}
        >
          {row.starred ? <StarFilled /> : <StarOutlined />}
        </span>
      </Tooltip>
      <span className="emc-who" title={row.correspondents.map((a) => a.address).join(', ')}>
        {row.draft && <span style={{ color: '#d4380d', marginRight: 4 }}>{t('Draft')}</span>}
        {toPrefix}
        {who}
      </span>
      <span className="emc-line">
        {showBox && <Tag bordered={false} data-testid="thread-box-tag">{t(BOX_TITLE[row.box as keyof typeof BOX_TITLE])}</Tag>}
        <span className="emc-subject" data-testid="thread-subject">
          {row.subject?.trim() || t('(no subject)')}
        </span>
        {row.messageCount > 1 && (
          <span className="emc-count" data-testid="thread-count">
            {row.messageCount}
          </span>
        )}
        {row.labels.length > 0 && (
          <span className="emc-tags">
            {row.labels.map((label) => (
              <Tag key={label.id} color={label.color} data-testid={`thread-label-${label.id}`}>
                {label.name}
              </Tag>
            ))}
          </span>
        )}
        {row.snippet && <span className="emc-snippet">— {row.snippet}</span>}
      </span>
      <span className="emc-icons">
        {row.todo && (
          <Tooltip title={t('To-Do')}>
            <CheckSquareOutlined style={{ color: '#fa8c16' }} data-testid="thread-todo" aria-label={t('To-Do')} />
          </Tooltip>
        )}
        {row.hasNote && (
          <Tooltip title={t('Has a note')}>
            <FileTextOutlined aria-label={t('Has a note')} />
          </Tooltip>
        )}
        {row.hasAttachments && (
          <Tooltip title={t('Has attachments')}>
            <PaperClipOutlined data-testid="thread-attachment" aria-label={t('Has attachments')} />
          </Tooltip>
        )}
      </span>
      {row.scheduledAt ? (
        <ScheduledDate row={row} />
      ) : (
        <span className="emc-date" title={fullDate(row.date)}>
          {listDate(row.date)}
        </span>
      )}
    </div>
  );
}

/** A scheduled mail is listed by when it goes out (S-SCHED-1), and a failed one says so. */
function ScheduledDate({ row }: { row: ThreadRow }) {
  const t = useT();
  const failed = row.scheduleStatus === 'failed';
  const when = fullDate(row.scheduledAt!);
  return (
    <Tooltip title={failed ? t('Scheduled send failed') : t('Sends at {{time}}', { time: when })}>
      <span className="emc-date" data-testid="thread-scheduled-at" style={failed ? { color: '#cf1322' } : { color: '#d46b08' }}>
        {failed ? <ExclamationCircleOutlined /> : <ClockCircleOutlined />} {listDate(row.scheduledAt!)}
      </span>
    </Tooltip>
  );
}
