import { EllipsisOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import React, { useMemo, useState } from 'react';
import { useT } from '../locale';
import { linkify, splitQuoted } from './plain-text';

/** Text with its links clickable; React escapes the rest, so nothing in it is markup. */
export function LinkedText({ text }: { text: string }) {
  const segments = useMemo(() => linkify(text), [text]);
  return (
    <>
      {segments.map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <React.Fragment key={i}>{segment.text}</React.Fragment>
        ),
      )}
    </>
  );
}

/** A plain-text body (S-CENTER-12): the quoted history collapses behind "…". */
export function PlainTextBody({ text }: { text: string }) {
  const t = useT();
  const { main, quoted } = useMemo(() => splitQuoted(text), [text]);
  const [showQuoted, setShowQuoted] = useState(false);
  return (
    <div data-testid="mail-text-body">
      <pre className="emc-text">
        <LinkedText text={main} />
      </pre>
      {quoted !== null && (
        <>
          <Tooltip title={showQuoted ? t('Hide quoted text') : t('Show quoted text')}>
            <Button
              size="small"
              icon={<EllipsisOutlined />}
              onClick={() => setShowQuoted((v) => !v)}
              aria-expanded={showQuoted}
              aria-label={showQuoted ? t('Hide quoted text') : t('Show quoted text')}
              data-testid="mail-quote-toggle"
              style={{ marginTop: 8 }}
            />
          </Tooltip>
          {showQuoted && (
            <pre className="emc-text emc-quote" data-testid="mail-quoted">
              <LinkedText text={quoted} />
            </pre>
          )}
        </>
      )}
    </div>
  );
}
