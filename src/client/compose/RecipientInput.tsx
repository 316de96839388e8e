import { Select, Tag, Tooltip, Typography } from 'antd';
import React, { useEffect, useRef, useState } from 'react';
import type { Address } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { addressFull } from '../mail-center/format';
import { normalizeRecipients, Recipient, recipientText } from './addresses';

export interface RecipientInputProps {
  value: Recipient[];
  onChange(value: Recipient[]): void;
  /** Addresses from the user's mail that contain the text (S-SEND-4). */
  suggest?(q: string): Promise<Address[]>;
  placeholder?: string;
  testId: string;
  autoFocus?: boolean;
}

/** Autocomplete waits for a pause in typing. */
const SUGGEST_DELAY_MS = 250;
const SEPARATOR = /[,;\r\n]/;

/**
 * One recipient field as tokens (S-SEND-3): typed addresses become tokens at , ; Enter or blur,
 * pasted lists are split, invalid ones are shown in red with the reason, duplicates merge.
 */
export function RecipientInput({ value, onChange, suggest, placeholder, testId, autoFocus }: RecipientInputProps) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Address[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useRef(value);
  latest.current = value;

  useEffect(() => () => clearTimeout(timer.current), []);

  const add = (items: (string | Address)[]) => onChange(normalizeRecipients([...latest.current, ...items]));

  const onSearch = (text: string) => {
    // Typing a separator commits what came before it.
    if (SEPARATOR.test(text)) {
      add([text]);
      setSearch('');
      setOptions([]);
      return;
    }
    setSearch(text);
    clearTimeout(timer.current);
    if (!suggest || text.trim().length < 2) {
      setOptions([]);
      return;
    }
    timer.current = setTimeout(() => {
      suggest(text).then(
        (found) => setOptions(found),
        () => setOptions([]),
      );
    }, SUGGEST_DELAY_MS);
  };

  const chosen = new Set(value.map((r) => r.address.toLowerCase()));
  const invalid = value.find((r) => !r.valid);

  return (
    <div
      className="emc-recipients"
      // A pasted list is split here, names with commas in quotes included (the Select would split those).
      onPasteCapture={(e) => {
        const text = e.clipboardData.getData('text');
        if (!SEPARATOR.test(text)) return;
        e.preventDefault();
        e.stopPropagation();
        add([`${search}${text}`]);
        setSearch('');
      }}
    >
      <Select
        mode="tags"
        variant="borderless"
        style={{ width: '100%' }}
        value={value.map(recipientText)}
        searchValue={search}
        onSearch={onSearch}
        onChange={(tokens: string[]) => {
          onChange(normalizeRecipients(tokens));
          setSearch('');
          setOptions([]);
        }}
        onInputKeyDown={(e) => {
          // Enter commits the typed address; with suggestions open, the Select picks the highlighted one.
          if (e.key === 'Enter' && search.trim() && !options.length) {
            e.preventDefault();
            e.stopPropagation();
            add([search]);
            setSearch('');
          }
        }}
        onBlur={() => {
          if (search.trim()) add([search]);
          setSearch('');
        }}
        filterOption={false}
        notFoundContent={null}
        placeholder={placeholder}
        autoFocus={autoFocus}
        suffixIcon={null}
        options={options.filter((a) => !chosen.has(a.address.toLowerCase())).map((a) => ({ value: recipientText(a), label: addressFull(a) }))}
        tagRender={({ value: token, onClose }) => {
          const r = normalizeRecipients([String(token)])[0];
          if (!r) return <span />;
          const tag = (
            <Tag
              closable
              onClose={onClose}
              color={r.valid ? undefined : 'error'}
              style={{ marginInlineEnd: 4 }}
              data-testid={`${testId}-token`}
              data-valid={String(r.valid)}
              onMouseDown={(e) => e.stopPropagation()}
            >
              {r.name || r.address}
            </Tag>
          );
          return r.valid ? (
            <Tooltip title={addressFull(r)} mouseEnterDelay={0.6}>
              {tag}
            </Tooltip>
          ) : (
            <Tooltip title={t('{{address}} is not a email format', { address: r.address })}>{tag}</Tooltip>
          );
        }}
        data-testid={testId}
      />
      {invalid && (
        <Typography.Text type="danger" style={{ fontSize: 12, display: 'block', paddingLeft: 11 }} data-testid={`${testId}-error`}>
          {t('{{address}} is not a email format', { address: invalid.address })}
        </Typography.Text>
      )}
    </div>
  );
}
