import { Button, Space, Typography } from 'antd';
import React, { useState } from 'react';
import type { BulkPreview } from '../../shared/bulk-api';
import type { Address } from '../../shared/mail-center-api';
import { useT } from '../locale';
import type { ComposeInit } from './compose-load';
import { RecipientInput } from './RecipientInput';
import type { ComposeController } from './use-compose';

export interface RecipientRowsProps {
  c: ComposeController;
  suggest(q: string): Promise<Address[]>;
  initial: Pick<ComposeInit, 'mode' | 'to' | 'cc' | 'bcc'>;
}

/** To, and Cc and Bcc once asked for or filled (S-SEND-3), each with address suggestions (S-SEND-4). */
export function RecipientRows({ c, suggest, initial }: RecipientRowsProps) {
  const t = useT();
  const [showCc, setShowCc] = useState(initial.cc.length > 0);
  const [showBcc, setShowBcc] = useState(initial.bcc.length > 0);
  return (
    <>
      <div className="emc-compose-row">
        <span className="emc-compose-label">{t('To')}</span>
        <div className="emc-compose-field">
          <RecipientInput value={c.to} onChange={(v) => c.setRecipients('to', v)} suggest={suggest} testId="compose-to" autoFocus={initial.mode === 'new' && !initial.to.length} />
        </div>
        <Space size={0} className="emc-compose-toggles">
          {!showCc && (
            <Button type="link" size="small" onClick={() => setShowCc(true)} data-testid="compose-show-cc">
              {t('Cc')}
            </Button>
          )}
          {!showBcc && (
            <Button type="link" size="small" onClick={() => setShowBcc(true)} data-testid="compose-show-bcc">
              {t('Bcc')}
            </Button>
          )}
        </Space>
      </div>
      {showCc && (
        <div className="emc-compose-row">
          <span className="emc-compose-label">{t('Cc')}</span>
          <div className="emc-compose-field">
            <RecipientInput value={c.cc} onChange={(v) => c.setRecipients('cc', v)} suggest={suggest} testId="compose-cc" />
          </div>
        </div>
      )}
      {showBcc && (
        <div className="emc-compose-row">
          <span className="emc-compose-label">{t('Bcc')}</span>
          <div className="emc-compose-field">
            <RecipientInput value={c.bcc} onChange={(v) => c.setRecipients('bcc', v)} suggest={suggest} testId="compose-bcc" />
          </div>
        </div>
      )}
    </>
  );
}

export interface BulkRecipientsRowProps {
  /** Recipients with a valid address (the server's count), or the rows picked until it answers. */
  count: number | null;
  preview: BulkPreview | null;
  error: string | null;
}

/** A bulk send's "To": how many separate mails go out, and how many rows have no usable address (S-BULK-2). */
export function BulkRecipientsRow({ count, preview, error }: BulkRecipientsRowProps) {
  const t = useT();
  return (
    <div className="emc-compose-row" data-testid="compose-bulk-recipients">
      <span className="emc-compose-label">{t('To')}</span>
      <Typography.Text className="emc-compose-field" style={{ lineHeight: '34px' }}>
        {count == null ? t('Counting the recipients…') : t('{{count}} recipients, one email each', { count })}
        {preview && preview.invalid > 0 && <Typography.Text type="warning">{` · ${t('{{count}} without a valid address', { count: preview.invalid })}`}</Typography.Text>}
        {error && <Typography.Text type="danger">{` · ${error}`}</Typography.Text>}
      </Typography.Text>
    </div>
  );
}
