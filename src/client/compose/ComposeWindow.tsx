import { Button, Result, Skeleton, Space, Typography } from 'antd';
import React, { useEffect, useRef, useState } from 'react';
import type { AccountView } from '../accounts/types';
import { useT } from '../locale';
import type { ComposeApi } from './compose-api';
import { ComposeInit, loadCompose, MODE_TITLE, OpenComposeOptions } from './compose-load';
import { readPrefs } from './compose-prefs';
import { ComposeFrame, FrameState } from './ComposeFrame';
import { ComposePanel } from './ComposePanel';
import { fromOptions, initialFrom } from './from-options';

export interface ComposeWindowProps {
  api: ComposeApi;
  options: OpenComposeOptions;
  accounts: AccountView[];
  /** The accounts and the auto-save setting have answered. */
  ready: boolean;
  autoSave: boolean;
  setAutoSave(on: boolean): void;
  userId?: number | string | null;
  /** Right offset of the docked window (several stand side by side). */
  right: number;
  onMailChanged(): void;
  onClosed(): void;
  toolbarExtra?: React.ReactNode;
  /** Rendered in the page (the Email send block), not docked. */
  inline?: boolean;
}

type Phase = 'loading' | 'checking' | 'asking' | 'ready';

/**
 * One compose window: loads its starting state (reply prefill, saved draft), asks whether to
 * continue an earlier draft for the same people (S-DRAFT-3), then shows the editor.
 */
export function ComposeWindow(props: ComposeWindowProps) {
  const { api, options, accounts, ready, autoSave, userId, right, onClosed } = props;
  const t = useT();
  const [init, setInit] = useState<ComposeInit | null>(null);
  const [phase, setPhase] = useState<Phase>('loading');
  const [found, setFound] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [frame, setFrame] = useState<FrameState>('normal');
  const [attempt, setAttempt] = useState(0);
  const checked = useRef(false);

  useEffect(() => {
    let live = true;
    setError(null);
    loadCompose(api, options).then(
      (loaded) => {
        if (!live) return;
        setInit(loaded);
        setPhase((p) => (p === 'loading' ? 'checking' : p));
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, options, attempt]);

  // S-DRAFT-3: once per opening, only with auto-save on, never for a draft opened directly.
  useEffect(() => {
    if (phase !== 'checking' || !init || !ready || checked.current) return;
    checked.current = true;
    const from = initialFrom(fromOptions(accounts), init, options.accountId, readPrefs(userId).lastAccountId);
    if (init.draftId || !autoSave || !from) {
      setPhase('ready');
      return;
    }
    api
      .findDraft({
        accountId: from.accountId,
        from: from.address,
        to: init.to.map((r) => r.address),
        mode: init.mode,
        ...(init.replyToMessageId ? { replyToMessageId: init.replyToMessageId } : {}),
      })
      .then(
        (hit) => {
          setFound(hit?.draftId ?? null);
          setPhase(hit ? 'asking' : 'ready');
        },
        // The lookup is a convenience: without it the editor opens as asked.
        () => setPhase('ready'),
      );
  }, [phase, init, ready, autoSave, accounts, options, userId, api]);

  const useFound = async () => {
    setPhase('loading');
    try {
      setInit(await loadCompose(api, { draftId: found! }));
      setPhase('ready');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (init && phase === 'ready' && !error) {
    return <ComposePanel {...props} init={init} preferredAccountId={options.accountId} />;
  }
  return (
    <ComposeFrame title={t(MODE_TITLE[options.draftId ? 'new' : options.mode || 'new'])} state={frame} onState={setFrame} onClose={onClosed} right={right} inline={props.inline}>
      {error ? (
        <div data-testid="compose-load-error">
          <Result
            status="warning"
            title={t('The email could not be opened')}
            subTitle={error}
            extra={
              <Button
                onClick={() => {
                  setPhase(init ? 'ready' : 'loading');
                  setAttempt((n) => n + 1);
                }}
              >
                {t('Try again')}
              </Button>
            }
          />
        </div>
      ) : phase === 'asking' ? (
        <div style={{ padding: 24 }} data-testid="compose-draft-found">
          <Typography.Paragraph>{t('A draft email exists for the current recipient, do you want to use it?')}</Typography.Paragraph>
          <Space>
            <Button type="primary" onClick={useFound} data-testid="compose-draft-use">
              {t('Use')}
            </Button>
            <Button onClick={() => setPhase('ready')} data-testid="compose-draft-ignore">
              {t('Ignore')}
            </Button>
          </Space>
        </div>
      ) : (
        <div style={{ padding: 16 }} data-testid="compose-loading">
          <Skeleton active paragraph={{ rows: 8 }} />
        </div>
      )}
    </ComposeFrame>
  );
}
