import { RedoOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Table, Typography } from 'antd';
import React from 'react';
import type { BulkRecipientView } from '../../../shared/bulk-api';
import { useT } from '../../locale';
import { fullDate } from '../format';
import { RecipientStatusTag } from './bulk-status';

export interface RecipientTableProps {
  rows: BulkRecipientView[];
  count: number;
  page: number;
  pageSize: number;
  loading: boolean;
  /** A recipient's action is on its way: its buttons wait. */
  busyId: number | null;
  onPage(page: number, pageSize: number): void;
  onCancel(row: BulkRecipientView): void;
  onResend(row: BulkRecipientView): void;
  /** A Sent recipient whose copy in Sent is known opens it in the reader. */
  onOpenMail(messageId: number): void;
}

/** Whether the row leads to its mail: only a Sent one with its stored copy. */
const opensMail = (row: BulkRecipientView) => row.status === 'sent' && Boolean(row.messageId);

/** The recipients of one job (S-BULK-5): status, reason, time, and Cancel / Resend per mail. */
export function RecipientTable({ rows, count, page, pageSize, loading, busyId, onPage, onCancel, onResend, onOpenMail }: RecipientTableProps) {
  const t = useT();
  // The buttons sit inside a clickable row: their clicks (and the confirm's) must not open the mail.
  const stop = (e?: React.MouseEvent) => e?.stopPropagation();

  return (
    <Table<BulkRecipientView>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={rows}
      data-testid="bulk-recipients"
      locale={{ emptyText: t('No recipients with this status') }}
      pagination={{ current: page, pageSize, total: count, onChange: onPage, showSizeChanger: true, pageSizeOptions: ['20', '50', '100', '200'] }}
      onRow={(row) =>
        ({
          'data-testid': `bulk-recipient-${row.id}`,
          'data-status': row.status,
          onClick: opensMail(row) ? () => onOpenMail(row.messageId!) : undefined,
          style: opensMail(row) ? { cursor: 'pointer' } : undefined,
          title: opensMail(row) ? t('Open the sent mail') : undefined,
        }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        {
          title: t('Recipient'),
          key: 'address',
          ellipsis: true,
          render: (_, row) => (
            <span data-testid="bulk-recipient-address">
              {row.name && <span style={{ fontWeight: 500, marginInlineEnd: 6 }}>{row.name}</span>}
              {row.address ? (
                <Typography.Text type={row.name ? 'secondary' : undefined}>{row.address}</Typography.Text>
              ) : (
                <Typography.Text type="secondary" italic>
                  {t('(empty)')}
                </Typography.Text>
              )}
            </span>
          ),
        },
        { title: t('Status'), key: 'status', width: 110, render: (_, row) => <RecipientStatusTag status={row.status} /> },
        {
          title: t('Reason'),
          key: 'reason',
          ellipsis: true,
          render: (_, row) =>
            row.reason && (row.status === 'failed' || row.status === 'canceled') ? (
              <Typography.Text type={row.status === 'failed' ? 'danger' : 'secondary'} data-testid="bulk-recipient-reason">
                {row.reason}
              </Typography.Text>
            ) : null,
        },
        { title: t('Sent at'), key: 'sentAt', width: 150, render: (_, row) => (row.sentAt ? fullDate(row.sentAt) : '') },
        {
          title: '',
          key: 'actions',
          width: 110,
          align: 'right',
          render: (_, row) => {
            const address = row.address || t('(empty)');
            if (row.status === 'pending')
              return (
                <Popconfirm
                  title={t('Cancel the mail to {{address}}?', { address })}
                  okText={t('Cancel the mail')}
                  cancelText={t('Keep it')}
                  okButtonProps={{ danger: true, 'data-testid': 'bulk-confirm-cancel-one' } as any}
                  onConfirm={(e) => {
                    stop(e);
                    onCancel(row);
                  }}
                  onCancel={(e) => stop(e)}
                >
                  <Button size="small" icon={<StopOutlined />} loading={busyId === row.id} onClick={stop} data-testid="bulk-cancel-one">
                    {t('Cancel')}
                  </Button>
                </Popconfirm>
              );
            // A Sent mail is never sent again (S-BULK-5); one being sent right now waits for its outcome.
            if (row.status === 'failed' || row.status === 'canceled')
              return (
                <Popconfirm
                  title={t('Send the mail to {{address}} again?', { address })}
                  okText={t('Resend')}
                  okButtonProps={{ 'data-testid': 'bulk-confirm-resend-one' } as any}
                  onConfirm={(e) => {
                    stop(e);
                    onResend(row);
                  }}
                  onCancel={(e) => stop(e)}
                >
                  <Button size="small" icon={<RedoOutlined />} loading={busyId === row.id} onClick={stop} data-testid="bulk-resend-one">
                    {t('Resend')}
                  </Button>
                </Popconfirm>
              );
            return null;
          },
        },
      ]}
    />
  );
}
