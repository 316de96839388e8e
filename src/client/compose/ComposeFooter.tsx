import { DeleteOutlined, DownOutlined, FieldTimeOutlined, PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { Button, Dropdown, Popconfirm, Space, Switch, Tooltip } from 'antd';
import dayjs from 'dayjs';
import React, { useRef, useState } from 'react';
import { useT } from '../locale';
import type { ComposeController } from './use-compose';

export interface ComposeFooterProps {
  c: ComposeController;
  onSend(): void;
  onSave(): void;
  onDiscard(): void;
  /** Opens the Schedule send dialog (S-SCHED-1). */
  onSchedule(): void;
  /** A bulk send: "Bulk send (count)" instead of Send, and no drafts or files (S-BULK-1). */
  bulk?: { count: number | null; busy: boolean } | null;
}

/** Send with Schedule send, Save draft with the auto-save switch (S-DRAFT-2), attach, the save status, and Discard. */
export function ComposeFooter({ c, onSend, onSave, onDiscard, onSchedule, bulk }: ComposeFooterProps) {
  const t = useT();
  const picker = useRef<HTMLInputElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const uploading = c.files.uploading;
  const savedAt = c.lastSavedAt ? dayjs(c.lastSavedAt).format('HH:mm') : null;
  const status = c.saving
    ? t('Saving…')
    : uploading
      ? t('Uploading attachments…')
      : savedAt
        ? c.autoSave
          ? t('Auto saved at {{time}}', { time: savedAt })
          : t('Draft saved at {{time}}', { time: savedAt })
        : '';
  const sendButtons = (
    <Space.Compact>
      <Button type="primary" icon={<SendOutlined />} loading={c.sending || bulk?.busy} disabled={uploading} onClick={onSend} data-testid="compose-send">
        {bulk ? (bulk.count == null ? t('Bulk send') : t('Bulk send ({{count}})', { count: bulk.count })) : t('Send')}
      </Button>
      <Dropdown
        trigger={['click']}
        menu={{ items: [{ key: 'schedule', icon: <FieldTimeOutlined />, label: <span data-testid="compose-schedule">{t('Schedule send')}</span> }], onClick: onSchedule }}
      >
        <Button type="primary" icon={<DownOutlined />} disabled={uploading || c.sending || bulk?.busy} aria-label={t('Send options')} data-testid="compose-send-menu" />
      </Dropdown>
    </Space.Compact>
  );
  if (bulk) {
    return (
      <div className="emc-compose-foot">
        {sendButtons}
        <span className="emc-compose-status" />
      </div>
    );
  }
  return (
    <div className="emc-compose-foot">
      {sendButtons}
      <Space.Compact>
        <Button onClick={onSave} loading={c.saving} disabled={c.sending || uploading} data-testid="compose-save-draft">
          {t('Save draft')}
        </Button>
        <Dropdown
          trigger={['click']}
          open={menuOpen}
          // Flipping the switch keeps the menu open, so the user sees the new state.
          onOpenChange={(open, info) => info.source === 'trigger' && setMenuOpen(open)}
          menu={{
            items: [
              {
                key: 'autoSave',
                label: (
                  <span style={{ display: 'flex', alignItems: 'center', gap: 12 }} data-testid="compose-autosave">
                    {t('Auto-save')}
                    <Switch size="small" checked={c.autoSave} data-testid="compose-autosave-switch" />
                  </span>
                ),
              },
            ],
            onClick: () => c.setAutoSave(!c.autoSave),
          }}
        >
          <Button icon={<DownOutlined />} aria-label={t('Draft options')} data-testid="compose-save-menu" />
        </Dropdown>
      </Space.Compact>
      <Tooltip title={t('Attach files')}>
        <Button type="text" icon={<PaperClipOutlined />} onClick={() => picker.current?.click()} aria-label={t('Attach files')} data-testid="compose-attach" />
      </Tooltip>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="compose-file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files || []);
          e.target.value = '';
          if (files.length) c.files.addAttachments(files);
        }}
      />
      <span className="emc-compose-status" data-testid="compose-status">
        {status}
      </span>
      <Popconfirm
        title={t('Discard this draft?')}
        description={t('The draft and its attachments are deleted.')}
        okText={t('Discard')}
        okButtonProps={{ danger: true, 'data-testid': 'compose-discard-confirm' } as any}
        onConfirm={onDiscard}
      >
        <Tooltip title={t('Discard draft')}>
          <Button type="text" icon={<DeleteOutlined />} aria-label={t('Discard draft')} data-testid="compose-discard" />
        </Tooltip>
      </Popconfirm>
    </div>
  );
}
