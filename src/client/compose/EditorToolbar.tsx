import {
  BoldOutlined,
  ClearOutlined,
  FontColorsOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { Button, ColorPicker, Divider, Input, Popover, Space, Tooltip } from 'antd';
import React, { useRef, useState } from 'react';
import { useT } from '../locale';

/** Colours offered first; any other comes from the picker. */
const PRESET_COLORS = ['#000000', '#595959', '#8c8c8c', '#f5222d', '#fa8c16', '#fadb14', '#52c41a', '#13c2c2', '#1677ff', '#722ed1', '#eb2f96'];

export interface EditorToolbarProps {
  editor: Editor | null;
  /** Absent: no image tool. */
  onImages?(files: File[]): void;
  extra?: React.ReactNode;
}

function Tool({ title, icon, active, onClick, testId }: { title: string; icon: React.ReactNode; active?: boolean; onClick(): void; testId: string }) {
  return (
    <Tooltip title={title} mouseEnterDelay={0.5}>
      <Button
        type={active ? 'primary' : 'text'}
        ghost={active}
        size="small"
        icon={icon}
        aria-label={title}
        aria-pressed={active}
        data-testid={`compose-tool-${testId}`}
        // Keep the selection in the editor: a click on the button must not blur it first.
        onMouseDown={(e) => e.preventDefault()}
        onClick={onClick}
      />
    </Tooltip>
  );
}

/** Link: the URL of the selection, set or removed. */
function LinkTool({ editor }: { editor: Editor }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const apply = () => {
    const href = url.trim();
    const chain = editor.chain().focus().extendMarkRange('link');
    if (!href) chain.unsetLink().run();
    else chain.setLink({ href: /^[a-z][a-z0-9+.-]*:/i.test(href) ? href : `https://${href}` }).run();
    setOpen(false);
  };
  return (
    <Popover
      open={open}
      trigger="click"
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setUrl(editor.getAttributes('link').href || '');
      }}
      content={
        <Space.Compact style={{ width: 320 }}>
          <Input autoFocus value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} onPressEnter={apply} data-testid="compose-link-input" />
          <Button type="primary" onClick={apply}>
            {t('Apply')}
          </Button>
        </Space.Compact>
      }
    >
      <span>
        <Tool title={t('Link')} icon={<LinkOutlined />} active={editor.isActive('link')} onClick={() => undefined} testId="link" />
      </span>
    </Popover>
  );
}

/** The formatting tools of S-SEND-1, plus a slot for the signature and template pickers. */
export function EditorToolbar({ editor, onImages, extra }: EditorToolbarProps) {
  const t = useT();
  const picker = useRef<HTMLInputElement>(null);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e && {
        bold: e.isActive('bold'),
        italic: e.isActive('italic'),
        underline: e.isActive('underline'),
        bulletList: e.isActive('bulletList'),
        orderedList: e.isActive('orderedList'),
        color: (e.getAttributes('textStyle').color as string | undefined) || null,
      },
  });
  if (!editor || !state) return <div className="emc-editor-toolbar" />;
  const run = (fn: (c: ReturnType<Editor['chain']>) => ReturnType<Editor['chain']>) => () => fn(editor.chain().focus()).run();
  return (
    <div className="emc-editor-toolbar" data-testid="compose-toolbar">
      <Tool title={t('Bold')} icon={<BoldOutlined />} active={state.bold} onClick={run((c) => c.toggleBold())} testId="bold" />
      <Tool title={t('Italic')} icon={<ItalicOutlined />} active={state.italic} onClick={run((c) => c.toggleItalic())} testId="italic" />
      <Tool title={t('Underline')} icon={<UnderlineOutlined />} active={state.underline} onClick={run((c) => c.toggleUnderline())} testId="underline" />
      <ColorPicker
        size="small"
        value={state.color || '#000000'}
        presets={[{ label: t('Text colour'), colors: PRESET_COLORS }]}
        onChangeComplete={(color) => editor.chain().focus().setColor(color.toHexString()).run()}
      >
        <span>
          <Tool title={t('Text colour')} icon={<FontColorsOutlined style={state.color ? { color: state.color } : undefined} />} onClick={() => undefined} testId="color" />
        </span>
      </ColorPicker>
      <Divider type="vertical" />
      <Tool title={t('Numbered list')} icon={<OrderedListOutlined />} active={state.orderedList} onClick={run((c) => c.toggleOrderedList())} testId="ordered-list" />
      <Tool title={t('Bulleted list')} icon={<UnorderedListOutlined />} active={state.bulletList} onClick={run((c) => c.toggleBulletList())} testId="bullet-list" />
      <LinkTool editor={editor} />
      {onImages && <Tool title={t('Insert image')} icon={<PictureOutlined />} onClick={() => picker.current?.click()} testId="image" />}
      <input
        ref={picker}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid="compose-image-input"
        onChange={(e) => {
          const files = Array.from(e.target.files || []);
          e.target.value = '';
          if (files.length) onImages?.(files);
        }}
      />
      <Tool title={t('Clear formatting')} icon={<ClearOutlined />} onClick={run((c) => c.unsetAllMarks().unsetColor())} testId="clear" />
      <Divider type="vertical" />
      <Tool title={t('Undo')} icon={<UndoOutlined />} onClick={run((c) => c.undo())} testId="undo" />
      <Tool title={t('Redo')} icon={<RedoOutlined />} onClick={run((c) => c.redo())} testId="redo" />
      {extra && (
        <>
          <Divider type="vertical" />
          {extra}
        </>
      )}
    </div>
  );
}
