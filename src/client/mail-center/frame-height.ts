import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { mountMail, type PreparedHtml } from './html-prep';

/**
 * Mounts a prepared mail into its sandboxed frame and keeps the frame as tall as the mail, so
 * the reader scrolls as one page. The frame is same-origin without scripts, so its document is
 * read directly: nothing of the mail is parsed or measured in the app's own document.
 */

/** Height before the mail is measured (about a short mail's). */
const INITIAL_HEIGHT = 160;
/** Room for a horizontal scrollbar under a table wider than the reader. */
const SCROLLBAR_ROOM = 18;
/**
 * A mail styled relative to its viewport (`min-height: 100vh` plus a margin) grows each time the
 * frame does. Real mail settles in a few steps (images arriving, fonts); past these bounds the
 * frame stops growing and scrolls inside instead.
 */
export const MAX_FRAME_HEIGHT = 20_000;
const MAX_HEIGHT_UPDATES = 40;

function contentHeight(doc: Document): number {
  const body = doc.body;
  const style = doc.defaultView?.getComputedStyle(body);
  const margins = style ? (parseFloat(style.marginTop) || 0) + (parseFloat(style.marginBottom) || 0) : 0;
  // In standards mode the body's scrollHeight is its content's, not the viewport's.
  const height = Math.max(body.scrollHeight, body.getBoundingClientRect().height) + margins;
  const root = doc.documentElement;
  return Math.ceil(height) + (root.scrollWidth > root.clientWidth ? SCROLLBAR_ROOM : 0);
}

/** Re-measures on image loads and size changes; returns what stops watching. */
function watchHeight(frame: HTMLIFrameElement, doc: Document, setHeight: (height: number) => void): () => void {
  let last = -1;
  let updates = 0;
  const measure = () => {
    if (!doc.body || updates >= MAX_HEIGHT_UPDATES) return;
    const next = Math.min(MAX_FRAME_HEIGHT, contentHeight(doc));
    if (next <= 0 || Math.abs(next - last) <= 1) return;
    last = next;
    updates += 1;
    setHeight(next);
  };
  measure();
  // Image loads and errors do not bubble: listen in the capture phase.
  doc.addEventListener('load', measure, true);
  doc.addEventListener('error', measure, true);
  const observer = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => measure()) : null;
  observer?.observe(frame);
  if (doc.body) observer?.observe(doc.body);
  return () => {
    observer?.disconnect();
    doc.removeEventListener('load', measure, true);
    doc.removeEventListener('error', measure, true);
  };
}

export function useMailFrame(frame: RefObject<HTMLIFrameElement>, prepared: PreparedHtml | null) {
  const [height, setHeight] = useState(INITIAL_HEIGHT);
  const current = useRef(prepared);
  current.current = prepared;
  const stopWatching = useRef<(() => void) | null>(null);

  const mount = useCallback(() => {
    const el = frame.current;
    const doc = el?.contentDocument;
    if (!el || !doc || !current.current) return;
    // False until the shell for this policy has loaded: the load event mounts it then.
    if (!mountMail(doc, current.current)) return;
    stopWatching.current?.();
    stopWatching.current = watchHeight(el, doc, setHeight);
  }, [frame]);

  // New content for the same shell (the cid: images arrived) mounts at once.
  useEffect(mount, [prepared, mount]);
  useEffect(() => () => stopWatching.current?.(), []);
  return { height, onLoad: mount };
}
