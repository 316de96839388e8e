/**
 * The signature in the editor (S-SIG-1): one block, `<div class="email-manager-signature"
 * data-signature-id="…">`, at the end of the user's text (so above the quote of a reply or
 * forward, which stays outside the editor). It is a node of its own so that the editor keeps the
 * wrapper through editing, saving and reopening a draft, and so that picking another signature
 * or applying a template can find and replace exactly this block and nothing else.
 */
import { Editor, getHTMLFromFragment, mergeAttributes, Node } from '@tiptap/core';
import { DOMParser as PMDOMParser, Fragment, type Node as PMNode } from '@tiptap/pm/model';
import { isBlankHtml, SIGNATURE_CLASS } from './body-html';

export const SIGNATURE_NODE = 'signatureBlock';
const ID_ATTR = 'data-signature-id';

export const SignatureBlock = Node.create({
  name: SIGNATURE_NODE,
  group: 'block',
  content: 'block+',
  defining: true,
  addAttributes() {
    return {
      signatureId: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute(ID_ATTR),
        renderHTML: (attributes: Record<string, unknown>) => (attributes.signatureId ? { [ID_ATTR]: attributes.signatureId } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: `div.${SIGNATURE_CLASS}` }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes(HTMLAttributes, { class: SIGNATURE_CLASS }), 0];
  },
});

/** What goes into the block: a signature's id and HTML. */
export interface SignatureContent {
  id: number;
  html: string;
}

/** The signature block of the document (top level), if any. */
export function findSignature(editor: Editor): { pos: number; node: PMNode } | null {
  let found: { pos: number; node: PMNode } | null = null;
  editor.state.doc.forEach((node, offset) => {
    if (!found && node.type.name === SIGNATURE_NODE) found = { pos: offset, node };
  });
  return found;
}

/** The block's HTML as the editor writes it, or null without one: the "untouched" test compares these. */
export function signatureHtml(editor: Editor): string | null {
  const found = findSignature(editor);
  return found ? getHTMLFromFragment(Fragment.from(found.node), editor.schema) : null;
}

/** The id of the signature in the block (null: none, or a signature from elsewhere). */
export function signatureIdOf(editor: Editor): number | null {
  const id = Number(findSignature(editor)?.node.attrs.signatureId);
  return Number.isInteger(id) && id > 0 ? id : null;
}

function signatureNode(editor: Editor, signature: SignatureContent): PMNode {
  // An inert document: nothing in it loads or runs (an <img onerror> in the app's own document would).
  const html = isBlankHtml(signature.html) ? '<p></p>' : signature.html;
  const holder = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html').body;
  // Its own wrapper never nests: a stored signature's HTML may carry one from an older editor.
  holder.querySelectorAll(`.${SIGNATURE_CLASS}`).forEach((inner) => inner.replaceWith(...Array.from(inner.childNodes)));
  const parsed = PMDOMParser.fromSchema(editor.schema).parse(holder);
  return editor.schema.nodes[SIGNATURE_NODE].create({ signatureId: String(signature.id) }, parsed.content);
}

/**
 * Puts `signature` in place of the current block (or at the end when there is none); null takes
 * the block out. The user's text around it is left as it is.
 */
export function setSignature(editor: Editor, signature: SignatureContent | null) {
  const found = findSignature(editor);
  if (!found && !signature) return;
  const { tr, schema } = editor.state;
  if (found) {
    const end = found.pos + found.node.nodeSize;
    if (signature) tr.replaceWith(found.pos, end, signatureNode(editor, signature));
    else if (tr.doc.childCount > 1) tr.delete(found.pos, end);
    else tr.replaceWith(found.pos, end, schema.nodes.paragraph.create());
  } else if (signature) {
    // A line for the user's text above it, when the document is only the signature's neighbour.
    const node = signatureNode(editor, signature);
    tr.insert(tr.doc.content.size, tr.doc.childCount ? node : [schema.nodes.paragraph.create(), node]);
  }
  editor.view.dispatch(tr);
}

/** The editor's HTML without the signature block: what a template replaces and what "has content" looks at. */
export function withoutSignature(html: string): string {
  if (!html || !html.includes(SIGNATURE_CLASS)) return html || '';
  const root = new DOMParser().parseFromString(`<!doctype html><html><body>${html}</body></html>`, 'text/html').body;
  root.querySelectorAll(`.${SIGNATURE_CLASS}`).forEach((el) => el.remove());
  return root.innerHTML;
}

/** A template's body in place of the user's text; the signature block stays below it (S-TPL-1). */
export function applyTemplateBody(editor: Editor, templateHtml: string) {
  const signature = signatureHtml(editor);
  const body = isBlankHtml(templateHtml) ? '<p></p>' : withoutSignature(templateHtml);
  editor.commands.setContent(`${body}${signature || ''}`, { emitUpdate: true });
}
