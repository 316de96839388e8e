import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Space, Typography } from 'antd';
import React, { useState } from 'react';
import { NOTE_MAX_LENGTH, NoteView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { fullDate } from './format';

export interface NoteEditorProps {
  note: NoteView | null;
  editable: boolean;
  /** Saves the text; '' deletes the note. */
  onSave(text: string): Promise<void>;
}

/** The conversation's note (S-CENTER-9): plain text, shown with its author and time. */
export function NoteEditor({ note, editable, onSave }: NoteEditorProps) {
  const t = useT();
  const text = note?.note || '';
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [busy, setBusy] = useState(false);

  const save = async (value: string) => {
    setBusy(true);
    try {
      await onSave(value);
      setEditing(false);
    } catch {
      // The caller told the user; the text stays in the editor to try again.
    } finally {
      setBusy(false);
    }
  };

  if (editing) {
    return (
      <div data-testid="mail-note" data-editing="true">
        <Input.TextArea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          maxLength={NOTE_MAX_LENGTH}
          showCount
          autoSize={{ minRows: 3, maxRows: 12 }}
          placeholder={t('Write a note for this conversation')}
          autoFocus
          data-testid="mail-note-input"
        />
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" size="small" loading={busy} onClick={() => save(draft.trim() ? draft : '')} data-testid="mail-note-save">
            {t('Save')}
          </Button>
          <Button size="small" onClick={() => setEditing(false)}>
            {t('Cancel')}
          </Button>
        </Space>
      </div>
    );
  }

  if (!text) {
    return (
      <div data-testid="mail-note" data-editing="false">
        {editable ? (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              setDraft('');
              setEditing(true);
            }}
            data-testid="mail-note-add"
          >
            {t('Add a note')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('No note')}</Typography.Text>
        )}
      </div>
    );
  }

  return (
    <div data-testid="mail-note" data-editing="false">
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }} data-testid="mail-note-text">
        {text}
      </Typography.Paragraph>
      {note && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {t('{{name}} · {{time}}', { name: note.authorName, time: fullDate(note.updatedAt) })}
        </Typography.Text>
      )}
      {editable && (
        <Space size={0} style={{ marginTop: 4, marginLeft: -8 }}>
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              setDraft(text);
              setEditing(true);
            }}
            data-testid="mail-note-edit"
          >
            {t('Edit')}
          </Button>
          <Popconfirm title={t('Delete this note?')} okText={t('Delete')} okButtonProps={{ danger: true }} onConfirm={() => save('')}>
            <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="mail-note-delete">
              {t('Delete')}
            </Button>
          </Popconfirm>
        </Space>
      )}
    </div>
  );
}
