import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { fromEditorHtml } from '../body-html';

export interface EditableListSource<Item, Draft extends { name: string; html: string }> {
  fetchList(): Promise<Item[]>;
  saveDraft(draft: Draft): Promise<unknown>;
  remove(item: Item): Promise<unknown>;
}

/**
 * The state of a Settings list edited in a dialog (signatures, templates): the list, the draft
 * being edited and its save. A save error stays in the dialog so the user's text is not lost.
 */
export function useEditableList<Item, Draft extends { name: string; html: string }>(source: EditableListSource<Item, Draft>, deps: unknown[]) {
  const { message } = App.useApp();
  const [list, setList] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A new key per opening: the rich-text editor takes its initial HTML only when mounted.
  const [editorKey, setEditorKey] = useState(0);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- the source is a new object every render; deps say when it changes
  const reload = useCallback(() => source.fetchList().then(setList, (e: Error) => setError(e.message)), deps);
  useEffect(() => {
    reload();
  }, [reload]);

  const open = (draft: Draft) => {
    setSaveError(null);
    setEditing(draft);
    setEditorKey((k) => k + 1);
  };

  const save = async () => {
    if (!editing) return;
    setBusy(true);
    setSaveError(null);
    try {
      await source.saveDraft({ ...editing, html: fromEditorHtml(editing.html) });
      setEditing(null);
      await reload();
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (item: Item) => {
    try {
      await source.remove(item);
      await reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  /** The wiring of the editor dialog (EditorDialog): a draft without a name cannot be saved. */
  const dialog = { open: editing !== null, busy, canSave: !!editing?.name.trim(), onCancel: () => setEditing(null), onSave: save };

  return { list, error, editing, setEditing, saveError, editorKey, reload, open, remove, dialog };
}
