import { FunctionOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import React from 'react';
import { useT } from '../locale';

export interface VariableMenuProps {
  fields: { name: string; title?: string }[];
  /** Puts `{{record.<name>}}` where the user writes (the subject or the body, whichever was last). */
  onInsert(variable: string): void;
}

/** `{{record.name}}` for a field name (S-BULK-3). */
export const recordVariable = (name: string) => `{{record.${name}}}`;

/** "Insert variable" of a bulk send: the source collection's fields, each filled per recipient. */
export function VariableMenu({ fields, onInsert }: VariableMenuProps) {
  const t = useT();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: fields.length
          ? fields.map((f) => ({ key: f.name, label: <span data-testid="compose-variable-option">{f.title || f.name}</span> }))
          : [{ key: '', disabled: true, label: t('No fields') }],
        onClick: ({ key }) => key && onInsert(recordVariable(key)),
      }}
    >
      <span>
        <Button type="text" size="small" icon={<FunctionOutlined />} onMouseDown={(e) => e.preventDefault()} data-testid="compose-tool-variable">
          {t('Insert variable')}
        </Button>
      </span>
    </Dropdown>
  );
}
