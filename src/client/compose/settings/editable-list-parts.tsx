import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Modal, Popconfirm } from 'antd';
import React from 'react';
import { useT } from '../../locale';

/**
 * The pieces the Settings lists (signatures, templates) share. Test ids are `<prefix>-edit`,
 * `<prefix>-delete`, `<prefix>-delete-ok` and `<prefix>-save`, as the tests look them up.
 */
export function useItemActions(testIdPrefix: string) {
  const t = useT();
  return ({ deleteTitle, onEdit, onDelete }: { deleteTitle: string; onEdit(): void; onDelete(): Promise<void> }) => [
    <Button key="edit" type="text" size="small" icon={<EditOutlined />} aria-label={t('Edit')} onClick={onEdit} data-testid={`${testIdPrefix}-edit`} />,
    <Popconfirm key="delete" title={deleteTitle} okText={t('Delete')} okButtonProps={{ danger: true, 'data-testid': `${testIdPrefix}-delete-ok` } as any} onConfirm={onDelete}>
      <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('Delete')} data-testid={`${testIdPrefix}-delete`} />
    </Popconfirm>,
  ];
}

export interface EditorDialogProps {
  open: boolean;
  title: string;
  width: number;
  busy: boolean;
  /** False while the draft has no name: the server would refuse it. */
  canSave: boolean;
  testIdPrefix: string;
  onCancel(): void;
  onSave(): void;
  children: React.ReactNode;
}

export function EditorDialog({ open, title, width, busy, canSave, testIdPrefix, onCancel, onSave, children }: EditorDialogProps) {
  const t = useT();
  return (
    <Modal
      open={open}
      title={title}
      width={width}
      onCancel={onCancel}
      onOk={onSave}
      okText={t('Save')}
      okButtonProps={{ loading: busy, disabled: !canSave, 'data-testid': `${testIdPrefix}-save` } as any}
      destroyOnClose
    >
      {children}
    </Modal>
  );
}
