import React from 'react';
import { ComposeStyles } from '../ComposeStyles';
import { RichTextEditor } from '../RichTextEditor';

export interface HtmlFieldProps {
  /** Read once: remount (a new `key`) to edit another row. */
  initialHtml: string;
  placeholder: string;
  onChange(html: string): void;
  testId: string;
}

/**
 * The editor of the compose window for a signature's or template's body (S-SIG-1, S-TPL-1): the
 * same TipTap schema and toolbar, without files (a signature or template keeps none).
 */
export function HtmlField({ initialHtml, placeholder, onChange, testId }: HtmlFieldProps) {
  return (
    <div className="emc-html-field" style={{ border: '1px solid rgba(5,5,5,.15)', borderRadius: 6, overflow: 'hidden' }}>
      <ComposeStyles />
      <RichTextEditor initialHtml={initialHtml} placeholder={placeholder} onChange={onChange} onImages={() => []} onFiles={() => undefined} images={false} testId={testId} />
    </div>
  );
}
