import {
  CheckSquareOutlined,
  ClockCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  FieldTimeOutlined,
  FolderOutlined,
  InboxOutlined,
  MailOutlined,
  NotificationOutlined,
  PlusOutlined,
  SendOutlined,
  SettingOutlined,
  StarOutlined,
  StopOutlined,
  TagOutlined,
} from '@ant-design/icons';
import { Badge, Button, Select, Tooltip } from 'antd';
import React from 'react';
import type { BoxFilter, LabelView, MailCounts } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { LabelDot } from './label-colors';
import { BOX_TITLE, BOXES, MailAccount, MailView } from './types';

const BOX_ICON: Record<BoxFilter, React.ReactNode> = {
  inbox: <InboxOutlined />,
  starred: <StarOutlined />,
  sent: <SendOutlined />,
  drafts: <EditOutlined />,
  scheduled: <FieldTimeOutlined />,
  archive: <ClockCircleOutlined />,
  spam: <StopOutlined />,
  trash: <DeleteOutlined />,
  all: <MailOutlined />,
};
/** Boxes whose unread number means nothing to the user. */
const NO_COUNT: BoxFilter[] = ['sent', 'scheduled', 'trash', 'all'];

export interface SidebarProps {
  accounts: MailAccount[];
  counts: MailCounts | null;
  labels: LabelView[];
  view: MailView;
  onView(view: MailView): void;
  onAddAccount(): void;
  onManageLabels(): void;
  /** Mass Send Tracking is open: no box, folder or label is highlighted then. */
  bulkActive?: boolean;
  /** Opens Mass Send Tracking; without it the entry is not shown. */
  onBulk?(): void;
}

interface NavItemProps {
  testId: string;
  active: boolean;
  icon: React.ReactNode;
  name: string;
  count?: number;
  onClick(): void;
}

function NavItem({ testId, active, icon, name, count, onClick }: NavItemProps) {
  return (
    <div
      role="link"
      tabIndex={0}
      aria-current={active ? 'page' : undefined}
      className={`emc-nav-item${active ? ' emc-active' : ''}`}
      data-testid={testId}
      data-active={String(active)}
      onClick={onClick}
      onKeyDown={(e) => e.key === 'Enter' && onClick()}
    >
      {icon}
      <span className="emc-nav-name" title={name}>
        {name}
      </span>
      {Boolean(count) && (
        <span className="emc-nav-count" data-testid={`${testId}-count`}>
          {count}
        </span>
      )}
    </div>
  );
}

/** Left side of the mail center (S-CENTER-2): account, boxes, provider folders, To-Do, Mass Send Tracking, labels. */
export function Sidebar({ accounts, counts, labels, view, onView, onAddAccount, onManageLabels, bulkActive = false, onBulk }: SidebarProps) {
  const t = useT();
  const accountId = view.accountId;
  const account = accounts.find((a) => a.id === accountId);
  const boxCounts = (accountId ? counts?.accounts?.[accountId] : counts?.boxes) || {};
  const folders = (account?.folders || []).filter((f) => f.custom);
  const plain = (extra: Partial<MailView>): MailView => ({ accountId, box: 'all', ...extra });
  /** Gmail groups mail by labels (a mail in several); other providers by folders. */
  const labelled = account?.capabilities?.grouping === 'labels';
  const isBox = (box: BoxFilter) => !bulkActive && view.box === box && !view.folderId && !view.labelId && !view.todo;

  return (
    <aside className="emc-sidebar" data-testid="mail-sidebar">
      <div className="emc-sidebar-top">
        <Select
          style={{ flex: 1, minWidth: 0 }}
          value={accountId ?? 0}
          data-testid="mail-account-select"
          popupMatchSelectWidth={false}
          onChange={(id: number) => onView({ accountId: id || undefined, box: view.folderId ? 'inbox' : view.box, labelId: view.labelId, todo: view.todo })}
          options={[
            { value: 0, label: t('All accounts') },
            ...accounts.map((a) => ({
              value: a.id,
              label: (
                <Badge
                  status={a.status === 'reauthorize' || a.status === 'error' ? 'warning' : a.status === 'syncing' ? 'processing' : 'success'}
                  text={a.email}
                />
              ),
            })),
          ]}
        />
        <Tooltip title={t('Link a mailbox')}>
          <Button icon={<PlusOutlined />} onClick={onAddAccount} data-testid="mail-action-add-account" aria-label={t('Link a mailbox')} />
        </Tooltip>
      </div>
      <nav className="emc-sidebar-scroll">
        {BOXES.map((box) => (
          <NavItem
            key={box}
            testId={`mail-box-${box}`}
            active={isBox(box)}
            icon={BOX_ICON[box]}
            name={t(BOX_TITLE[box])}
            count={NO_COUNT.includes(box) ? 0 : boxCounts[box]}
            onClick={() => onView({ accountId, box })}
          />
        ))}
        {folders.length > 0 && account && (
          <>
            <div className="emc-nav-title">{labelled ? t('Gmail labels') : t('Folders')}</div>
            {folders.map((folder) => (
              <NavItem
                key={folder.id}
                testId={`mail-folder-${folder.id}`}
                active={!bulkActive && view.folderId === folder.id}
                icon={labelled ? <TagOutlined /> : <FolderOutlined />}
                name={folder.name}
                count={counts?.accounts?.[account.id]?.folders?.[folder.id]}
                onClick={() => onView(plain({ folderId: folder.id }))}
              />
            ))}
          </>
        )}
        <div className="emc-nav-divider" />
        <NavItem
          testId="mail-box-todo"
          active={!bulkActive && Boolean(view.todo)}
          icon={<CheckSquareOutlined />}
          name={t('To-Do')}
          count={counts?.todo}
          onClick={() => onView(plain({ todo: true }))}
        />
        {onBulk && (
          <NavItem testId="mail-bulk-tracking" active={bulkActive} icon={<NotificationOutlined />} name={t('Mass Send Tracking')} onClick={onBulk} />
        )}
        <div className="emc-nav-title">
          <span>{t('Labels')}</span>
          <Tooltip title={t('Manage labels')}>
            <Button type="text" size="small" icon={<SettingOutlined />} onClick={onManageLabels} data-testid="mail-manage-labels" aria-label={t('Manage labels')} />
          </Tooltip>
        </div>
        {labels.map((label) => (
          <NavItem
            key={label.id}
            testId={`mail-label-${label.id}`}
            active={!bulkActive && view.labelId === label.id}
            icon={<LabelDot color={label.color} />}
            name={label.name}
            count={counts?.labels?.[label.id]}
            onClick={() => onView(plain({ labelId: label.id }))}
          />
        ))}
        {!labels.length && (
          <div style={{ padding: '4px 12px', fontSize: 12, opacity: 0.6 }}>{t('No labels yet')}</div>
        )}
      </nav>
    </aside>
  );
}
