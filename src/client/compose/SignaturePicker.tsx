import { CheckOutlined, SignatureOutlined } from '@ant-design/icons';
import type { Editor } from '@tiptap/core';
import { Button, Dropdown, Tooltip } from 'antd';
import React from 'react';
import type { SignatureView } from '../../shared/compose-api';
import { useT } from '../locale';
import type { ComposeApi } from './compose-api';
import { signatureIdOf } from './signature-block';
import { pickerStatusItems, usePickerList } from './use-picker-list';

export interface SignaturePickerProps {
  api: Pick<ComposeApi, 'signatures'>;
  editor: Editor | null;
  /** The From account: its signatures and the general ones are offered. */
  accountId: number | null;
  onPick(signature: SignatureView | null): void;
}

/** The editor's signature icon (S-SIG-1): one of the user's signatures, or "No signature". */
export function SignaturePicker({ api, editor, accountId, onPick }: SignaturePickerProps) {
  const t = useT();
  const { list, error, load } = usePickerList(() => api.signatures(accountId ?? undefined));
  const current = editor ? signatureIdOf(editor) : null;
  const mark = (on: boolean) => (on ? <CheckOutlined /> : <span style={{ display: 'inline-block', width: 14 }} />);
  const items = [
    { key: 'none', icon: mark(editor != null && current == null && list != null), label: <span data-testid="compose-signature-none">{t('No signature')}</span> },
    ...(list || []).map((s) => ({
      key: String(s.id),
      icon: mark(current === s.id),
      label: <span data-testid="compose-signature-option">{s.name}</span>,
    })),
    ...pickerStatusItems(list, error, { empty: t('No signatures yet: add them in Settings → Signature'), loading: t('Loading…') }),
  ];
  return (
    <Dropdown
      trigger={['click']}
      onOpenChange={(open) => open && load()}
      menu={{
        items,
        onClick: ({ key }) => {
          if (key === 'none') onPick(null);
          else {
            const signature = list?.find((s) => String(s.id) === key);
            if (signature) onPick(signature);
          }
        },
      }}
    >
      <span>
        <Tooltip title={t('Signature')} mouseEnterDelay={0.5}>
          <Button type="text" size="small" icon={<SignatureOutlined />} aria-label={t('Signature')} data-testid="compose-tool-signature" onMouseDown={(e) => e.preventDefault()} />
        </Tooltip>
      </span>
    </Dropdown>
  );
}
