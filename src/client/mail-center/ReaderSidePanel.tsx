import { CheckSquareFilled, CheckSquareOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Space } from 'antd';
import React, { useState } from 'react';
import type { LabelView, ThreadView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { LabelDot } from './label-colors';
import { LabelForm } from './LabelsManager';
import type { MailApi } from './mail-api';
import { NoteEditor } from './NoteEditor';

export interface ReaderSidePanelProps {
  api: MailApi;
  /** The row the conversation was opened from: changes act on its whole conversation. */
  rowId: number;
  thread: ThreadView;
  labels: LabelView[];
  /** The thread or the labels changed: reload them. */
  onThreadChanged(): Promise<void> | void;
  onLabelsChanged(): Promise<void> | void;
}

/** The reader's right panel: labels (S-CENTER-8), note (S-CENTER-9) and To-Do (S-CENTER-10). */
export function ReaderSidePanel({ api, rowId, thread, labels, onThreadChanged, onLabelsChanged }: ReaderSidePanelProps) {
  const t = useT();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const ticked = new Set(thread.labels.map((l) => l.id));
  const todo = Boolean(thread.note?.todo);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      await onThreadChanged();
    } catch (error) {
      message.error((error as Error).message);
      throw error;
    } finally {
      setBusy(false);
    }
  };

  const tick = (label: LabelView, on: boolean) =>
    run(() => api.setLabels({ ids: [rowId], scope: 'thread', ...(on ? { add: [label.id] } : { remove: [label.id] }) })).catch(() => undefined);

  /** A label made here comes ticked. */
  const create = async (value: { name: string; color: string }) => {
    try {
      const label = await api.saveLabel(value);
      await onLabelsChanged();
      await run(() => api.setLabels({ ids: [rowId], scope: 'thread', add: [label.id] }));
      setCreating(false);
    } catch (error) {
      message.error((error as Error).message);
    }
  };

  return (
    <aside className="emc-reader-side" data-testid="mail-reader-side">
      {/* Sticky, so labels, note and to-do stay in reach while a long mail scrolls. */}
      <div className="emc-side-inner">
        <div className="emc-side-section">
          <Button
            block
            type={todo ? 'primary' : 'default'}
            icon={todo ? <CheckSquareFilled /> : <CheckSquareOutlined />}
            loading={busy}
            data-testid="mail-todo"
            data-todo={String(todo)}
            onClick={() => run(() => api.saveNote({ messageId: thread.noteMessageId, todo: !todo })).catch(() => undefined)}
          >
            {todo ? t('Unmark as To-Do') : t('Mark as To-Do')}
          </Button>
        </div>
        <div className="emc-side-section">
          <div className="emc-side-title">{t('Labels')}</div>
          <Space direction="vertical" size={6} style={{ width: '100%' }}>
            {labels.map((label) => (
              <Checkbox
                key={label.id}
                checked={ticked.has(label.id)}
                disabled={busy}
                onChange={(e) => tick(label, e.target.checked)}
                data-testid={`mail-reader-label-${label.id}`}
              >
                <Space size={6}>
                  <LabelDot color={label.color} />
                  {label.name}
                </Space>
              </Checkbox>
            ))}
            {creating ? (
              <LabelForm submitText={t('Create')} onSubmit={create} onCancel={() => setCreating(false)} testId="mail-reader-new-label" />
            ) : (
              <Button type="link" size="small" icon={<PlusOutlined />} style={{ paddingLeft: 0 }} onClick={() => setCreating(true)} data-testid="mail-reader-create-label">
                {t('Create label')}
              </Button>
            )}
          </Space>
        </div>
        <div className="emc-side-section">
          <div className="emc-side-title">{t('Note')}</div>
          <NoteEditor note={thread.note} editable={thread.editable} onSave={(text) => run(() => api.saveNote({ messageId: thread.noteMessageId, note: text }))} />
        </div>
      </div>
    </aside>
  );
}
