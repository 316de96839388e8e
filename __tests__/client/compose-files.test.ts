import { describe, expect, it } from 'vitest';
import { fromEditorHtml, joinBody, plainTextToHtml, splitQuote, toEditorHtml } from '../../src/client/compose/body-html';
import { admitFiles, attachmentChips, classifyStored, cleanCid, ComposeFile, fileRefs, filesToSend, totalSize } from '../../src/client/compose/compose-files';
import { MAX_ATTACHMENTS_BYTES } from '../../src/shared/send-api';

const MB = 1024 * 1024;
const upload = (over: Partial<ComposeFile> = {}): ComposeFile =>
  ({ key: `u${Math.random()}`, kind: 'upload', uploadId: 'up-1', filename: 'a.pdf', size: MB, mimeType: 'application/pdf', status: 'done', ...over }) as ComposeFile;
const stored = (over: Partial<ComposeFile> = {}): ComposeFile =>
  ({ key: `s${Math.random()}`, kind: 'stored', attachmentId: 7, filename: 'b.pdf', size: MB, mimeType: 'application/pdf', ...over }) as ComposeFile;

/** The 25 MB rule before upload (S-SEND-5), and which files go out how (S-SEND-7, cid: images). */
describe('compose files', () => {
  it('refuses, before any upload, each file that would push the mail over 25 MB, with its size', () => {
    const picked = [
      { name: 'small.txt', size: 2 * MB },
      { name: 'huge.iso', size: 30 * MB },
      { name: 'medium.zip', size: 10 * MB },
      { name: 'last.png', size: 4 * MB },
    ];
    const { accepted, rejected, total } = admitFiles(12 * MB, picked);
    expect(accepted.map((f) => f.name)).toEqual(['small.txt', 'medium.zip']);
    expect(rejected).toEqual([
      { filename: 'huge.iso', size: 30 * MB },
      { filename: 'last.png', size: 4 * MB },
    ]);
    expect(total).toBe(24 * MB);
    // Exactly the limit is allowed.
    expect(admitFiles(0, [{ name: 'x', size: MAX_ATTACHMENTS_BYTES }]).rejected).toEqual([]);
    expect(admitFiles(1, [{ name: 'x', size: MAX_ATTACHMENTS_BYTES }]).rejected).toHaveLength(1);
  });

  it('counts forwarded and inline files, not deleted editor images or failed uploads', () => {
    const files = [
      upload({ size: 3 * MB }),
      stored({ size: 5 * MB }),
      upload({ uploadId: 'img', contentId: 'img1@em', editorImage: true, size: 2 * MB }),
      upload({ uploadId: 'gone', contentId: 'img2@em', editorImage: true, size: 9 * MB }),
      upload({ status: 'error', uploadId: undefined, size: 20 * MB }),
    ];
    const html = '<p>hi <img src="cid:img1@em"></p>';
    expect(totalSize(filesToSend(files, html))).toBe(10 * MB);
  });

  it('names uploads by upload id and stored files by attachment id, inline ones with their content id', () => {
    const files = [
      upload({ uploadId: 'u-report' }),
      upload({ uploadId: 'u-logo', contentId: 'logo@em', editorImage: true }),
      stored({ attachmentId: 11 }),
      stored({ attachmentId: 12, contentId: 'stamp@x', quoteImage: true }),
      stored({ attachmentId: 13, contentId: 'other@x', quoteImage: true }),
    ];
    const html = '<p><img src="cid:logo@em"></p><div class="email-manager-quote"><img src="cid:stamp@x"></div>';
    expect(fileRefs(files, html)).toEqual({
      attachmentIds: ['u-report', { id: 'u-logo', contentId: 'logo@em' }],
      forwardAttachmentIds: [11, { id: 12, contentId: 'stamp@x' }],
    });
    // Chips: the files that are not images of the body or quote.
    expect(attachmentChips(files, html).map((f) => f.filename)).toEqual(['a.pdf', 'b.pdf']);
  });

  it('sorts a reopened draft\'s files into editor images, quote images and chips', () => {
    const files = classifyStored(
      [stored({ attachmentId: 1, contentId: 'body@em' }), stored({ attachmentId: 2, contentId: '<Quote@X>' }), stored({ attachmentId: 3 })] as any,
      '<p><img src="cid:body@em"></p>',
      '<div class="email-manager-quote"><img src="cid:quote@x"></div>',
    );
    expect(files.map((f) => [f.attachmentId, Boolean(f.editorImage), Boolean(f.quoteImage)])).toEqual([
      [1, true, false],
      [2, false, true],
      [3, false, false],
    ]);
    expect(cleanCid('cid:%3CA@b%3E')).toBe('a@b');
  });

  it('keeps the quote out of the editor and joins it back; inline images are blob: in the editor and cid: in the mail', () => {
    const stored = '<p>My answer <img src="cid:pic@em" width="120"></p><div class="email-manager-quote"><div>On Jan 6 wrote:</div><blockquote><table><tbody><tr><td>x</td></tr></tbody></table></blockquote></div>';
    const { body, quote } = splitQuote(stored);
    expect(body).toBe('<p>My answer <img src="cid:pic@em" width="120"></p>');
    expect(quote).toContain('<table>');
    const editor = toEditorHtml(body, { 'pic@em': 'blob:local/1' }, cleanCid);
    expect(editor).toBe('<p>My answer <img src="blob:local/1" width="120" data-cid="pic@em"></p>');
    expect(fromEditorHtml(editor)).toBe('<p>My answer <img src="cid:pic@em" width="120"></p>');
    expect(joinBody(fromEditorHtml(editor), quote)).toBe(stored);
    // A local image without a content id cannot be sent: it is dropped; an empty editor is no body.
    expect(fromEditorHtml('<p>x<img src="blob:local/2"></p>')).toBe('<p>x</p>');
    expect(fromEditorHtml('<p></p>')).toBe('');
  });
});

describe('default content of the Email send block', () => {
  it('becomes one escaped paragraph per line', () => {
    expect(plainTextToHtml('Dear <Carl> & co,\r\nthanks')).toBe('<p>Dear &lt;Carl&gt; &amp; co,</p><p>thanks</p>');
  });
});
