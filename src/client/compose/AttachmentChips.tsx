import { CloseOutlined, ExclamationCircleOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button, Progress, Tooltip, Typography } from 'antd';
import React from 'react';
import { useT } from '../locale';
import { fileSize } from '../mail-center/format';
import type { ComposeFile } from './compose-files';

export interface AttachmentChipsProps {
  files: ComposeFile[];
  onRemove(key: string): void;
}

/** The compose's attachments (S-SEND-5/7): name, size, upload progress, and a remove button. */
export function AttachmentChips({ files, onRemove }: AttachmentChipsProps) {
  const t = useT();
  if (!files.length) return null;
  return (
    <div className="emc-compose-files" data-testid="compose-attachments">
      {files.map((f) => {
        const uploading = f.kind === 'upload' && f.status === 'uploading';
        const failed = f.kind === 'upload' && f.status === 'error';
        return (
          <div key={f.key} className={`emc-compose-file${failed ? ' emc-failed' : ''}`} data-testid="compose-attachment" data-status={f.kind === 'upload' ? f.status : 'stored'}>
            {failed ? <ExclamationCircleOutlined style={{ color: '#ff4d4f' }} /> : <PaperClipOutlined />}
            <Tooltip title={failed ? (f as { error?: string }).error : f.filename}>
              <Typography.Text className="emc-compose-file-name">{f.filename}</Typography.Text>
            </Tooltip>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {fileSize(f.size)}
            </Typography.Text>
            {uploading && <Progress type="circle" size={16} percent={Math.round(((f as { progress?: number }).progress || 0) * 100)} showInfo={false} />}
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              aria-label={t('Remove {{name}}', { name: f.filename })}
              data-testid="compose-attachment-remove"
              onClick={() => onRemove(f.key)}
            />
          </div>
        );
      })}
    </div>
  );
}
