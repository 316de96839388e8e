import { PictureOutlined } from '@ant-design/icons';
import { Alert, Button, Skeleton } from 'antd';
import React, { useEffect, useMemo, useRef, useState } from 'react';
import type { AttachmentView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { useMailFrame } from './frame-height';
import { findCids, isLargeMail, normalizeCid, prepareMailHtml } from './html-prep';
import type { MailApi } from './mail-api';

export interface HtmlBodyProps {
  /** Only the `cid:` image loader: the compose window's quote passes its own. */
  api: Pick<MailApi, 'inlineImage'>;
  messageId: number;
  html: string;
  attachments: AttachmentView[];
}

/** A Blob as a data: URL, the only image source the frame's CSP accepts besides http(s). */
function toDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Fetches the message's `cid:` images through the authenticated API; a missing one stays blank. */
function useCidUrls(api: Pick<MailApi, 'inlineImage'>, messageId: number, html: string, attachments: AttachmentView[]) {
  const cids = useMemo(() => findCids(html), [html]);
  const [urls, setUrls] = useState<Record<string, string> | null>(cids.length ? null : {});
  // A reloaded thread brings new but equal arrays: fetch again only when the parts really differ.
  const parts = useRef(attachments);
  parts.current = attachments;
  const partsKey = attachments.map((a) => `${a.id}:${a.contentId}:${a.mimeType}`).join('|');
  useEffect(() => {
    if (!cids.length) return;
    let live = true;
    Promise.all(
      cids.map(async (cid) => {
        try {
          const blob = await api.inlineImage(messageId, cid);
          // Some servers answer octet-stream: the part's own type (or PNG) lets the <img> decode it.
          const part = parts.current.find((a) => a.contentId && normalizeCid(a.contentId) === normalizeCid(cid));
          const type = blob.type.startsWith('image/') ? blob.type : part?.mimeType?.startsWith('image/') ? part.mimeType : 'image/png';
          const url = await toDataUrl(blob.type === type ? blob : new Blob([blob], { type }));
          return [normalizeCid(cid), url] as const;
        } catch {
          return null;
        }
      }),
    ).then((pairs) => {
      if (live) setUrls(Object.fromEntries(pairs.filter(Boolean) as [string, string][]));
    });
    return () => {
      live = false;
    };
  }, [api, messageId, cids, partsKey]);
  return urls;
}

/** An HTML body in a sandboxed frame (S-CENTER-12), remote images behind "Show images". */
export function HtmlBody({ api, messageId, html, attachments }: HtmlBodyProps) {
  const t = useT();
  const [allowRemote, setAllowRemote] = useState(false);
  // A mail too large to lay out quickly is shown only when the user asks (html-prep.ts).
  const [showLarge, setShowLarge] = useState(false);
  const large = useMemo(() => isLargeMail(html), [html]);
  const held = large && !showLarge;
  const cidUrls = useCidUrls(api, messageId, held ? '' : html, attachments);
  const prepared = useMemo(() => (cidUrls && !held ? prepareMailHtml(html, { allowRemote, cidUrls }) : null), [html, allowRemote, cidUrls, held]);
  const frame = useRef<HTMLIFrameElement>(null);
  const { height, onLoad } = useMailFrame(frame, prepared);

  if (held) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="mail-too-large"
        message={t('This message is too large to show at once; showing it may slow this page down for a while.')}
        action={
          <Button size="small" onClick={() => setShowLarge(true)} data-testid="mail-show-large">
            {t('Show anyway')}
          </Button>
        }
      />
    );
  }
  if (!prepared) return <Skeleton active paragraph={{ rows: 4 }} title={false} />;
  return (
    <>
      {prepared.blockedRemote > 0 && !allowRemote && (
        <Alert
          type="info"
          showIcon
          icon={<PictureOutlined />}
          style={{ marginBottom: 8, cursor: 'pointer' }}
          onClick={() => setAllowRemote(true)}
          data-testid="mail-show-images"
          message={t('Images from the web are hidden to protect your privacy.')}
          action={
            <Button size="small" type="link" onClick={() => setAllowRemote(true)} data-testid="mail-show-images-button">
              {t('Show images')}
            </Button>
          }
        />
      )}
      <iframe
        ref={frame}
        title={t('Message body')}
        className="emc-frame"
        data-testid="mail-body-frame"
        // Never allow-scripts: nothing in the frame runs. allow-same-origin only lets this
        // component copy the sanitised nodes in and read their height (html-prep.ts).
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={prepared.shell}
        onLoad={onLoad}
        style={{ height }}
      />
    </>
  );
}
