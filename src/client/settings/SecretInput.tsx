import { Input, Space, Tag, Typography } from 'antd';
import React from 'react';
import { useT } from '../locale';

export interface SecretInputProps {
  /** Whether the server holds a secret; the secret itself never reaches the browser. */
  isSet: boolean;
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
  placeholder?: string;
}

/**
 * A write-only secret: shows whether one is stored and takes a replacement. Left empty, the
 * stored secret is kept (S-CONF-2).
 */
export function SecretInput({ isSet, value, onChange, id, placeholder }: SecretInputProps) {
  const t = useT();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={4}>
      <Space size={8}>
        {isSet ? (
          <Tag color="success" data-testid={`${id}-state`}>
            {t('Secret set')}
          </Tag>
        ) : (
          <Tag data-testid={`${id}-state`}>{t('Secret not set')}</Tag>
        )}
        {isSet && <Typography.Text type="secondary">{t('Leave empty to keep the stored secret')}</Typography.Text>}
      </Space>
      <Input.Password
        id={id}
        value={value}
        autoComplete="new-password"
        placeholder={placeholder ?? (isSet ? t('Enter a new secret to replace it') : t('Paste the client secret'))}
        onChange={(e) => onChange?.(e.target.value)}
      />
    </Space>
  );
}
