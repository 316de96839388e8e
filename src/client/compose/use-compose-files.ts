import { useCallback, useRef, useState } from 'react';
import type { AttachmentView } from '../../shared/mail-center-api';
import type { ComposeApi } from './compose-api';
import { admitFiles, classifyStored, ComposeFile, fileKey, filesToSend, RejectedFile, storedFile, totalSize, UploadFile } from './compose-files';
import { newId } from './ids';

export interface ComposeFilesOptions {
  api: ComposeApi;
  initial: ComposeFile[];
  /** The whole body as it would be sent now (which inline images count). */
  html(): string;
  /** Files refused by the 25 MB rule, before any upload. */
  onRejected(files: RejectedFile[]): void;
  /** An upload failed: the server's message. */
  onUploadError(filename: string, message: string): void;
  onChange(): void;
}

/** An image placed in the editor: shown from `src`, sent as `cid:contentId`. */
export interface EditorImage {
  src: string;
  contentId: string;
}

/**
 * The compose's files (S-SEND-5/7): picked or dropped files and pasted images are checked
 * against the 25 MB total first, then uploaded one by one with their progress; removing an
 * upload deletes it at the server too; a saved draft's answer replaces the files it took.
 */
export function useComposeFiles({ api, initial, html, onRejected, onUploadError, onChange }: ComposeFilesOptions) {
  const [files, setFilesState] = useState<ComposeFile[]>(initial);
  const current = useRef(files);
  /** Every upload id this compose made, for Discard to clean up. */
  const uploaded = useRef(new Set<string>());
  const objectUrls = useRef<string[]>([]);

  const setFiles = useCallback((update: (list: ComposeFile[]) => ComposeFile[]) => {
    current.current = update(current.current);
    setFilesState(current.current);
  }, []);

  const patch = useCallback((key: string, change: Partial<UploadFile>) => setFiles((list) => list.map((f) => (f.key === key ? ({ ...f, ...change } as ComposeFile) : f))), [setFiles]);

  const start = useCallback(
    (file: File, entry: UploadFile) => {
      setFiles((list) => [...list, entry]);
      api
        .upload(file, (progress) => patch(entry.key, { progress }))
        .then((view) => {
          uploaded.current.add(view.id);
          // Removed while it was uploading: it is not wanted any more.
          if (!current.current.some((f) => f.key === entry.key)) {
            api.deleteUpload(view.id).catch(() => undefined);
            return;
          }
          patch(entry.key, { uploadId: view.id, status: 'done', progress: 1, size: view.size, mimeType: view.mimeType, filename: view.filename });
          onChange();
        })
        .catch((error: Error) => {
          patch(entry.key, { status: 'error', error: error.message });
          onUploadError(file.name, error.message);
        });
    },
    [api, patch, setFiles, onChange, onUploadError],
  );

  const admit = useCallback(
    (picked: File[]) => {
      const { accepted, rejected } = admitFiles(totalSize(filesToSend(current.current, html())), picked);
      if (rejected.length) onRejected(rejected);
      return accepted;
    },
    [html, onRejected],
  );

  const entryFor = (file: File, extra: Partial<UploadFile> = {}): UploadFile => ({
    key: fileKey('u'),
    kind: 'upload',
    filename: file.name,
    size: file.size,
    mimeType: file.type || 'application/octet-stream',
    status: 'uploading',
    progress: 0,
    ...extra,
  });

  /** Files attached below the editor (picker, drag and drop). */
  const addAttachments = useCallback(
    (picked: File[]) => {
      for (const file of admit(picked)) start(file, entryFor(file));
      onChange();
    },
    [admit, start, onChange],
  );

  /** Images pasted or dropped into the editor: shown at once from a local URL, sent as `cid:` parts. */
  const addEditorImages = useCallback(
    (picked: File[]): EditorImage[] => {
      const images: EditorImage[] = [];
      for (const file of admit(picked)) {
        const contentId = `${newId()}@email-manager`;
        const src = URL.createObjectURL(file);
        objectUrls.current.push(src);
        start(file, entryFor(file, { contentId, editorImage: true }));
        images.push({ src, contentId });
      }
      return images;
    },
    [admit, start],
  );

  const removeFile = useCallback(
    (key: string) => {
      const file = current.current.find((f) => f.key === key);
      setFiles((list) => list.filter((f) => f.key !== key));
      if (file?.kind === 'upload' && file.uploadId) api.deleteUpload(file.uploadId).catch(() => undefined);
      onChange();
    },
    [api, setFiles, onChange],
  );

  /** The quote was removed: its images go with it. */
  const dropQuoteImages = useCallback(() => setFiles((list) => list.filter((f) => !f.quoteImage)), [setFiles]);

  /**
   * A draft save answered the draft's files anew (new ids): they replace the files that save
   * took; files added meanwhile (still uploading) stay.
   */
  const replaceSaved = useCallback(
    (taken: ComposeFile[], saved: AttachmentView[], body: string, quote: string) => {
      const takenKeys = new Set(taken.map((f) => f.key));
      const fresh = classifyStored(saved.map((a) => storedFile(a)), body, quote);
      setFiles((list) => [...fresh, ...list.filter((f) => !takenKeys.has(f.key))]);
    },
    [setFiles],
  );

  return {
    files,
    /** The list as of now, for code running outside a render. */
    currentFiles: () => current.current,
    uploading: files.some((f) => f.kind === 'upload' && f.status === 'uploading'),
    addAttachments,
    addEditorImages,
    removeFile,
    dropQuoteImages,
    replaceSaved,
    uploadIds: () => [...uploaded.current],
    objectUrls: () => objectUrls.current,
  };
}

export type ComposeFiles = ReturnType<typeof useComposeFiles>;
