import {
  DownloadOutlined,
  EyeOutlined,
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FilePptOutlined,
  FileWordOutlined,
  FileZipOutlined,
} from '@ant-design/icons';
import { App, Button, Modal, Spin, Tooltip, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import type { AttachmentView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { fileSize } from './format';
import type { MailApi } from './mail-api';
import { saveFile } from './save-file';

/**
 * Types shown in the preview. The blob is re-typed to exactly this, so a file claiming to be an
 * image can never open as HTML under our origin; SVG (which can script) is left out on purpose.
 */
const PREVIEWABLE = /^(image\/(png|jpe?g|gif|webp|bmp)|application\/pdf)$/i;

export function canPreview(attachment: AttachmentView): boolean {
  return PREVIEWABLE.test(attachment.mimeType || '');
}

function fileIcon(mimeType: string, filename: string) {
  const type = `${mimeType} ${filename}`.toLowerCase();
  if (/image\//.test(type)) return <FileImageOutlined style={{ color: '#13a8a8' }} />;
  if (/pdf/.test(type)) return <FilePdfOutlined style={{ color: '#cf1322' }} />;
  if (/word|\.docx?\b/.test(type)) return <FileWordOutlined style={{ color: '#1d39c4' }} />;
  if (/sheet|excel|\.xlsx?\b|\.csv\b/.test(type)) return <FileExcelOutlined style={{ color: '#389e0d' }} />;
  if (/presentation|powerpoint|\.pptx?\b/.test(type)) return <FilePptOutlined style={{ color: '#d46b08' }} />;
  if (/zip|compressed|\.rar\b|\.7z\b|\.tar\b|\.gz\b/.test(type)) return <FileZipOutlined style={{ color: '#874d00' }} />;
  return <FileOutlined />;
}

interface Preview {
  attachment: AttachmentView;
  url: string | null;
}

/** A message's attachments (S-CENTER-11): name, type icon, size, download, preview. */
export function AttachmentList({ api, attachments }: { api: MailApi; attachments: AttachmentView[] }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<number | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);

  // Blob URLs hold the bytes in memory until revoked.
  useEffect(() => () => {
    if (preview?.url) URL.revokeObjectURL(preview.url);
  }, [preview?.url]);

  const download = async (attachment: AttachmentView) => {
    setBusy(attachment.id);
    try {
      saveFile(await api.download(attachment.id), attachment.filename || 'attachment');
    } catch (error) {
      message.error((error as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const open = async (attachment: AttachmentView) => {
    setPreview({ attachment, url: null });
    try {
      const blob = await api.download(attachment.id, { preview: true });
      const typed = new Blob([blob], { type: attachment.mimeType.toLowerCase() });
      setPreview((p) => (p?.attachment.id === attachment.id ? { attachment, url: URL.createObjectURL(typed) } : p));
    } catch (error) {
      setPreview(null);
      message.error((error as Error).message);
    }
  };

  if (!attachments.length) return null;
  const isPdf = preview?.attachment.mimeType.toLowerCase() === 'application/pdf';
  return (
    <>
      <div className="emc-attachments" data-testid="mail-attachments">
        {attachments.map((attachment) => (
          <div key={attachment.id} className="emc-attachment" data-testid={`mail-attachment-${attachment.id}`}>
            {fileIcon(attachment.mimeType || '', attachment.filename || '')}
            <div style={{ minWidth: 0 }}>
              <div className="emc-attachment-name" title={attachment.filename}>
                {attachment.filename || t('Untitled attachment')}
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fileSize(attachment.size)}
              </Typography.Text>
            </div>
            {canPreview(attachment) && (
              <Tooltip title={t('Preview')}>
                <Button type="text" size="small" icon={<EyeOutlined />} onClick={() => open(attachment)} aria-label={t('Preview')} data-testid="attachment-preview" />
              </Tooltip>
            )}
            <Tooltip title={t('Download')}>
              <Button
                type="text"
                size="small"
                icon={<DownloadOutlined />}
                loading={busy === attachment.id}
                onClick={() => download(attachment)}
                aria-label={t('Download')}
                data-testid="attachment-download"
              />
            </Tooltip>
          </div>
        ))}
      </div>
      <Modal
        open={Boolean(preview)}
        title={preview?.attachment.filename}
        width={isPdf ? 960 : 'auto'}
        style={{ maxWidth: '92vw' }}
        onCancel={() => setPreview(null)}
        footer={
          preview?.url ? (
            <>
              <Button onClick={() => window.open(preview.url!, '_blank', 'noopener')}>{t('Open in new tab')}</Button>
              <Button type="primary" icon={<DownloadOutlined />} onClick={() => download(preview.attachment)}>
                {t('Download')}
              </Button>
            </>
          ) : null
        }
        data-testid="mail-attachment-preview"
      >
        {!preview?.url ? (
          <div style={{ textAlign: 'center', padding: 48 }}>
            <Spin />
          </div>
        ) : isPdf ? (
          <iframe title={preview.attachment.filename} src={preview.url} style={{ width: '100%', height: '75vh', border: 0 }} />
        ) : (
          <img alt={preview.attachment.filename} src={preview.url} style={{ maxWidth: '100%', maxHeight: '75vh', display: 'block', margin: '0 auto' }} />
        )}
      </Modal>
    </>
  );
}
