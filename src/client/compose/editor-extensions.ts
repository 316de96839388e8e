/**
 * The rich-text editor's schema (S-SEND-1): StarterKit (bold, italic, underline, lists, links,
 * Shift+Enter soft breaks, undo), text colour, and inline images that can be resized and keep
 * their `cid:` content id in `data-cid`, and the signature block. Headings, code and rules stay out: mail bodies rarely
 * want them and some mail clients render them poorly.
 */
import type { Extensions } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import Placeholder from '@tiptap/extension-placeholder';
import { Color, TextStyle } from '@tiptap/extension-text-style';
import StarterKit from '@tiptap/starter-kit';
import { CID_ATTR } from './body-html';
import { SIGNATURE_NODE, SignatureBlock } from './signature-block';

/** An image with its content id: shown from a local URL, sent as `cid:`. */
export const MailImage = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      contentId: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute(CID_ATTR),
        renderHTML: (attributes: Record<string, unknown>) => (attributes.contentId ? { [CID_ATTR]: attributes.contentId } : {}),
      },
    };
  },
});

export function editorExtensions(placeholder: string): Extensions {
  return [
    StarterKit.configure({
      heading: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      // Links open from the mail, not while writing it; typed URLs become links.
      // The signature ends the mail: no empty line is added after it.
      trailingNode: { notAfter: ['paragraph', SIGNATURE_NODE] },
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https', HTMLAttributes: { target: '_blank', rel: 'noopener noreferrer' } },
    }),
    TextStyle,
    Color,
    MailImage.configure({
      inline: true,
      // Pasted data: images would bloat the HTML; pasted image files become cid: parts instead.
      allowBase64: false,
      resize: { enabled: true, directions: ['top-left', 'top-right', 'bottom-left', 'bottom-right'], minWidth: 24, minHeight: 24, alwaysPreserveAspectRatio: true },
    }),
    Placeholder.configure({ placeholder }),
    // The signature keeps its wrapper, so it can be swapped without touching the text (S-SIG-1).
    SignatureBlock,
  ];
}
