import { EditorContent, useEditor } from '@tiptap/react';
import type { Editor } from '@tiptap/core';
import React, { useEffect, useRef } from 'react';
import type { EditorImage } from './use-compose-files';
import { editorExtensions } from './editor-extensions';
import { EditorToolbar } from './EditorToolbar';

export interface RichTextEditorProps {
  /** The starting HTML; later changes come from the user only. */
  initialHtml: string;
  placeholder: string;
  onChange(html: string): void;
  /** Image files pasted or dropped: the compose admits and uploads them; returns what to insert. */
  onImages(files: File[]): EditorImage[];
  /** Other files dropped or pasted into the text: they become attachments. */
  onFiles(files: File[]): void;
  /** Room in the toolbar for the signature and template pickers (S-SIG-1, S-TPL-1). */
  toolbarExtra?: React.ReactNode;
  onReady?(editor: Editor): void;
  /** false: no image tool, pasted or dropped images are refused (signatures and templates keep no files). */
  images?: boolean;
  testId?: string;
}

const isImage = (f: File) => f.type.startsWith('image/');

export function insertImages(editor: Editor, images: EditorImage[], at?: number) {
  if (!images.length) return;
  const content = images.map((img) => ({ type: 'image', attrs: { src: img.src, contentId: img.contentId } }));
  const chain = editor.chain().focus();
  (at === undefined ? chain : chain.setTextSelection(at)).insertContent(content).run();
}

/** The body editor (TipTap): toolbar above, content below; files pasted or dropped are handed out. */
export function RichTextEditor({ initialHtml, placeholder, onChange, onImages, onFiles, toolbarExtra, onReady, images = true, testId = 'compose-editor' }: RichTextEditorProps) {
  // ProseMirror keeps the handlers it was created with: they call the latest props through refs.
  const props = useRef({ onChange, onImages, onFiles });
  props.current = { onChange, onImages, onFiles };

  const takeFiles = (editor: Editor, list: ArrayLike<File> | null | undefined, at?: number): boolean => {
    const files = Array.from(list || []);
    if (!files.length) return false;
    const pictures = files.filter(isImage);
    const others = files.filter((f) => !isImage(f));
    if (pictures.length) insertImages(editor, props.current.onImages(pictures), at);
    if (others.length) props.current.onFiles(others);
    return true;
  };

  const editor = useEditor({
    extensions: editorExtensions(placeholder),
    content: initialHtml,
    onUpdate: ({ editor: e }) => props.current.onChange(e.getHTML()),
    editorProps: {
      attributes: { class: 'emc-editor-content', 'data-testid': testId },
      handlePaste: (_view, event) => {
        const files = event.clipboardData?.files;
        if (!files?.length || !editorRef.current) return false;
        event.preventDefault();
        return takeFiles(editorRef.current, files);
      },
      handleDrop: (view, event, _slice, moved) => {
        const files = (event as DragEvent).dataTransfer?.files;
        if (moved || !files?.length || !editorRef.current) return false;
        event.preventDefault();
        // The window's own drop zone must not attach the same files again.
        event.stopPropagation();
        const at = view.posAtCoords({ left: (event as DragEvent).clientX, top: (event as DragEvent).clientY })?.pos;
        return takeFiles(editorRef.current, files, at);
      },
    },
  });
  const editorRef = useRef<Editor | null>(null);
  editorRef.current = editor;

  useEffect(() => {
    if (editor) onReady?.(editor);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per editor: onReady is a new function every render of the window
  }, [editor]);

  return (
    <div className="emc-editor">
      <EditorToolbar editor={editor} onImages={images ? (files) => editor && takeFiles(editor, files) : undefined} extra={toolbarExtra} />
      <EditorContent editor={editor} className="emc-editor-scroll" />
    </div>
  );
}
