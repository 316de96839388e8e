import { PaperClipOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import type { ColumnType } from 'antd/es/table';
import React from 'react';
import type { BlockRow } from '../../../shared/block-api';
import type { Address } from '../../../shared/mail-center-api';
import { addressFull, addressName, fullDate } from '../../mail-center/format';
import { EMAIL_FIELD_TITLES, EmailField, SORTABLE_FIELDS } from './fields';

type T = (text: string, options?: Record<string, unknown>) => string;

function Addresses({ list }: { list: Address[] }) {
  if (!list?.length) return null;
  const full = list.map(addressFull).join(', ');
  return (
    <Tooltip title={full}>
      <span>{list.map(addressName).join(', ')}</span>
    </Tooltip>
  );
}

/** Box names as the mail center shows them; a provider folder keeps its own name. */
const BOX_TITLES: Record<string, string> = {
  inbox: 'Inbox',
  sent: 'Sent',
  drafts: 'Drafts',
  scheduled: 'Scheduled',
  archive: 'Archive',
  trash: 'Trash',
  spam: 'Spam',
};

export interface ColumnOptions {
  t: T;
  /** "Enable click to open" on Subject: the subject becomes a link to the details. */
  clickToOpen: boolean;
  onOpen(row: BlockRow): void;
  sort: string;
}

function cell(field: EmailField, row: BlockRow, options: ColumnOptions): React.ReactNode {
  const { t } = options;
  switch (field) {
    case 'subject': {
      const text = row.subject || t('(no subject)');
      const style = row.read ? undefined : { fontWeight: 600 };
      return options.clickToOpen ? (
        <a data-testid="email-table-subject" style={style} onClick={() => options.onOpen(row)}>
          {text}
        </a>
      ) : (
        <span data-testid="email-table-subject" style={style}>
          {text}
        </span>
      );
    }
    case 'from':
    case 'to':
    case 'cc':
    case 'bcc':
      return <Addresses list={row[field]} />;
    case 'date':
      return fullDate(row.date);
    case 'content':
      return (
        <Typography.Text type="secondary" ellipsis={{ tooltip: row.content }} style={{ maxWidth: 320 }}>
          {row.content}
        </Typography.Text>
      );
    case 'box':
      return row.box ? t(BOX_TITLES[row.box] || row.box) : '';
    case 'read':
      return row.read ? t('Yes') : t('No');
    case 'draft':
      return row.draft ? t('Yes') : t('No');
    case 'labels':
      return row.labels.map((l) => (
        <Tag key={l.id} color={l.color}>
          {l.name}
        </Tag>
      ));
    case 'attachments':
      return row.attachments.length ? (
        <Tooltip title={row.attachments.map((a) => a.filename).join(', ')}>
          <span>
            <PaperClipOutlined /> {row.attachments.length}
          </span>
        </Tooltip>
      ) : null;
    case 'account':
      return row.account;
    case 'repliedMessage':
      return row.repliedMessage ? row.repliedMessage.subject || t('(no subject)') : '';
  }
}

export function emailColumns(fields: EmailField[], options: ColumnOptions): ColumnType<BlockRow>[] {
  return fields.map((field) => {
    const sortKey = SORTABLE_FIELDS[field];
    const order = options.sort === sortKey ? 'ascend' : options.sort === `-${sortKey}` ? 'descend' : null;
    return {
      key: field,
      dataIndex: field,
      title: options.t(EMAIL_FIELD_TITLES[field]),
      sorter: Boolean(sortKey),
      sortOrder: sortKey ? order : undefined,
      ellipsis: field === 'content',
      render: (_: unknown, row: BlockRow) => cell(field, row, options),
    };
  });
}
