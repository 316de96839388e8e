import { PictureOutlined } from '@ant-design/icons';
import { Alert, Button, Skeleton } from 'antd';
import React, { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AttachmentView } from '../../shared/mail-center-api';
import { useT } from '../locale';
import { findCids, normalizeCid, prepareMailHtml } from './html-prep';
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

/**
 * Measures the content's height in an offscreen shadow root: the sandboxed frame has an opaque
 * origin, so its own document cannot be read, and it runs no script to report it. The copy is
 * the same sanitised markup, clipped (`contain: paint`) and invisible, with its CSS scoped to the
 * shadow root.
 */
function useContentHeight(frame: React.RefObject<HTMLIFrameElement>, measureHtml: string) {
  const [height, setHeight] = useState(160);
  useLayoutEffect(() => {
    const el = frame.current;
    if (!el || typeof el.attachShadow !== 'function') return;
    const host = document.createElement('div');
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText =
      'position:absolute;left:-100000px;top:0;visibility:hidden;opacity:0;pointer-events:none;contain:layout paint style;overflow:hidden';
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = measureHtml;
    document.body.appendChild(host);
    const content = shadow.querySelector<HTMLElement>('.mail-body');
    const measure = () => {
      host.style.width = `${el.clientWidth || 600}px`;
      const h = content ? Math.max(content.scrollHeight, content.getBoundingClientRect().height) : 0;
      // Slack for rounding and a horizontal scrollbar under wide tables.
      if (h > 0) setHeight(Math.ceil(h) + 24);
    };
    measure();
    shadow.querySelectorAll('img').forEach((img) => img.addEventListener('load', measure));
    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(measure);
      observer.observe(el);
      if (content) observer.observe(content);
    }
    return () => {
      observer?.disconnect();
      host.remove();
    };
  }, [frame, measureHtml]);
  return height;
}

/** An HTML body in a sandboxed frame (S-CENTER-12), remote images behind "Show images". */
export function HtmlBody({ api, messageId, html, attachments }: HtmlBodyProps) {
  const t = useT();
  const [allowRemote, setAllowRemote] = useState(false);
  const cidUrls = useCidUrls(api, messageId, html, attachments);
  const prepared = useMemo(() => (cidUrls ? prepareMailHtml(html, { allowRemote, cidUrls }) : null), [html, allowRemote, cidUrls]);
  const frame = useRef<HTMLIFrameElement>(null);
  const height = useContentHeight(frame, prepared?.measureHtml || '');

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
        // No allow-scripts, no allow-same-origin: the mail runs nothing and reaches nothing of ours.
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={prepared.srcdoc}
        style={{ height }}
      />
    </>
  );
}
