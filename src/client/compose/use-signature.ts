import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useRef } from 'react';
import type { SignatureView } from '../../shared/compose-api';
import type { ComposeApi } from './compose-api';
import { findSignature, setSignature, signatureHtml } from './signature-block';

export interface UseSignatureOptions {
  api: Pick<ComposeApi, 'defaultSignature'>;
  editor: Editor | null;
  /** The account of the current From; null until the accounts are known. */
  accountId: number | null;
  /** false for a draft opened again (it has its signature already) and for bulk mail without one. */
  insertDefault: boolean;
  /** Runs an automatic change of the body without making the mail "changed" (see setBodyQuietly). */
  quietly(change: () => void): void;
}

/**
 * The signature of one compose (S-SIG-1): the default of the From account goes in once the editor
 * and the sender are known; changing From swaps it for the new account's default as long as it is
 * still the untouched default; once the user picks a signature (or none) or edits it, it is theirs.
 */
export function useSignature({ api, editor, accountId, insertDefault, quietly }: UseSignatureOptions) {
  /** What the automatic insertion left (its HTML, null for none) and for which account. */
  const auto = useRef<{ html: string | null; accountId: number } | null>(null);
  const chosen = useRef(!insertDefault);

  useEffect(() => {
    if (!editor || !accountId || chosen.current) return;
    if (auto.current) {
      if (auto.current.accountId === accountId) return;
      // Edited since it went in: the user's now, not swapped.
      if (signatureHtml(editor) !== auto.current.html) {
        chosen.current = true;
        return;
      }
    }
    let live = true;
    const first = !auto.current;
    api.defaultSignature(accountId).then(
      (signature: SignatureView | null) => {
        if (!live || chosen.current || editor.isDestroyed) return;
        // A body that came with a signature of its own keeps it.
        if (first && findSignature(editor)) {
          chosen.current = true;
          return;
        }
        quietly(() => setSignature(editor, signature));
        auto.current = { html: signatureHtml(editor), accountId };
      },
      // Without the default the mail is written all the same.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [editor, accountId, api, quietly]);

  /** The user's choice from the signature menu: a signature, or null for "No signature". */
  const pick = useCallback(
    (signature: SignatureView | null) => {
      if (!editor) return;
      chosen.current = true;
      setSignature(editor, signature);
    },
    [editor],
  );

  return { pick };
}
