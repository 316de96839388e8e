import { CloseOutlined, EllipsisOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import React, { useMemo, useState } from 'react';
import type { AttachmentView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { HtmlBody } from '../mail-center/HtmlBody';
import type { ComposeApi } from './compose-api';

export interface QuotedTextProps {
  api: ComposeApi;
  html: string;
  /** Whose `cid:` images the quote shows. */
  messageId: number | null;
  attachments: AttachmentView[];
  onRemove(): void;
}

/**
 * The original below a reply or forward, read-only (S-SEND-6/7): folded behind "…" as mail
 * clients do, shown in the reader's sandboxed frame, removable as a whole.
 */
export function QuotedText({ api, html, messageId, attachments, onRemove }: QuotedTextProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const loader = useMemo(() => ({ inlineImage: (id: number, cid: string) => api.inlineImage(id, cid) }), [api]);
  if (!html) return null;
  return (
    <div className="emc-compose-quote" data-testid="compose-quote">
      <Tooltip title={open ? t('Hide quoted text') : t('Show quoted text')}>
        <Button size="small" icon={<EllipsisOutlined />} onClick={() => setOpen(!open)} aria-expanded={open} data-testid="compose-quote-toggle" />
      </Tooltip>
      <Tooltip title={t('Remove quoted text')}>
        <Button size="small" type="text" icon={<CloseOutlined />} onClick={onRemove} style={{ marginLeft: 4 }} data-testid="compose-quote-remove" />
      </Tooltip>
      {open && (
        <div style={{ marginTop: 8 }}>
          <HtmlBody api={loader} messageId={messageId ?? 0} html={html} attachments={attachments} />
        </div>
      )}
    </div>
  );
}
