import { useCallback, useEffect, useRef, useState } from 'react';
import type { BulkJobView, BulkPreview } from '../../shared/bulk-api';
import type { ComposeApi } from './compose-api';
import type { BulkComposeOptions } from './compose-load';
import { newId } from './ids';
import type { ComposeController } from './use-compose';

export interface UseBulkSendOptions {
  api: Pick<ComposeApi, 'bulkPreview' | 'bulkCreate'>;
  c: ComposeController;
  /** null: not a bulk send (the hook then does nothing). */
  bulk: BulkComposeOptions | null;
  onMailChanged(): void;
  t(text: string, options?: Record<string, unknown>): string;
}

/**
 * Bulk send from the editor (S-BULK-1…3): the server's count of the recipients for the chosen
 * sender, and "Bulk send" (now, or at a time) creating one job with one key per compose, so a
 * double click or a retry makes one job.
 */
export function useBulkSend({ api, c, bulk, onMailChanged, t }: UseBulkSendOptions) {
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newId()).current;
  const accountId = c.fromOptions.find((o) => o.value === c.fromValue)?.accountId ?? null;

  useEffect(() => {
    if (!bulk || !accountId) return;
    let live = true;
    setPreviewError(null);
    api.bulkPreview({ accountId, source: bulk.source }).then(
      (p) => live && setPreview(p),
      (e: Error) => live && setPreviewError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, bulk, accountId]);

  /** Creates the job (scheduled with `sendAt`); the error is shown in the editor, not thrown. */
  const submit = useCallback(
    async (sendAt?: string): Promise<BulkJobView | null> => {
      if (!bulk) return null;
      const input = c.buildInput();
      if (!input) {
        c.setError(t('Choose the account to send from'));
        return null;
      }
      if (!input.subject?.trim()) {
        c.setError(t('Please enter a subject'));
        return null;
      }
      setBusy(true);
      c.setError(null);
      try {
        const job = await api.bulkCreate({ accountId: input.accountId, from: input.from, subject: input.subject, html: input.html, source: bulk.source, idempotencyKey: key, ...(sendAt ? { sendAt } : {}) });
        onMailChanged();
        return job;
      } catch (e) {
        c.setError((e as Error).message);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [api, bulk, c, key, onMailChanged, t],
  );

  /** What the editor shows: the server's count once known, the rows picked until then. */
  const count = preview ? preview.valid : (bulk?.count ?? null);
  return { preview, previewError, count, busy, submit };
}
