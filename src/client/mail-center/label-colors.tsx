import { CheckOutlined } from '@ant-design/icons';
import { theme, Tooltip } from 'antd';
import React from 'react';

/** antd's preset colours: a label's colour is one of these names (or any CSS colour from the API). */
export const LABEL_COLORS = ['red', 'volcano', 'orange', 'gold', 'lime', 'green', 'cyan', 'blue', 'geekblue', 'purple', 'magenta', 'default'];

/** The CSS colour of a label's dot: a preset name through the theme, else the value itself. */
export function useLabelColor(): (color: string) => string {
  const { token } = theme.useToken();
  return (color) => {
    if (!color || color === 'default') return token.colorTextQuaternary;
    const preset = (token as unknown as Record<string, unknown>)[color];
    return typeof preset === 'string' ? preset : color;
  };
}

export function LabelDot({ color }: { color: string }) {
  const resolve = useLabelColor();
  return <span className="emc-dot" style={{ background: resolve(color) }} />;
}

/** A row of round swatches to pick a label colour. */
export function ColorSwatches({ value, onChange }: { value: string; onChange(color: string): void }) {
  const resolve = useLabelColor();
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }} role="radiogroup">
      {LABEL_COLORS.map((color) => (
        <Tooltip key={color} title={color}>
          <span
            role="radio"
            aria-checked={value === color}
            aria-label={color}
            data-testid={`label-color-${color}`}
            tabIndex={0}
            onClick={() => onChange(color)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onChange(color)}
            style={{
              width: 20,
              height: 20,
              borderRadius: '50%',
              background: resolve(color),
              cursor: 'pointer',
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              color: '#fff',
              fontSize: 11,
              outline: value === color ? `2px solid ${resolve(color)}` : 'none',
              outlineOffset: 2,
            }}
          >
            {value === color && <CheckOutlined />}
          </span>
        </Tooltip>
      ))}
    </div>
  );
}
