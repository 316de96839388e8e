import { CloseOutlined, FullscreenExitOutlined, FullscreenOutlined, MinusOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import React from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../locale';

export type FrameState = 'normal' | 'min' | 'max';

export interface ComposeFrameProps {
  title: string;
  state: FrameState;
  onState(state: FrameState): void;
  onClose(): void;
  /** Right offset in px, so several windows stand side by side. */
  right: number;
  /**
   * In the page's flow (the Email send block) instead of docked: no minimise or full screen, and
   * the close button clears the form.
   */
  inline?: boolean;
  children?: React.ReactNode;
}

/**
 * The docked window, Gmail-like: bottom right, minimised to its title bar, or maximised over a
 * dimmed page. Portalled to <body>, so the mail center's overflow never clips it.
 */
export function ComposeFrame({ title, state, onState, onClose, right, inline, children }: ComposeFrameProps) {
  const t = useT();
  const stop = (e: React.MouseEvent) => e.stopPropagation();
  if (inline) {
    return (
      <div className="emc-compose emc-inline" role="form" aria-label={title} data-testid="compose-window" data-state="inline">
        <div className="emc-compose-head">
          <span className="emc-compose-title" data-testid="compose-title">
            {title}
          </span>
          <Tooltip title={t('Clear')}>
            <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('Clear')} onClick={onClose} data-testid="compose-close" />
          </Tooltip>
        </div>
        <div className="emc-compose-body">{children}</div>
      </div>
    );
  }
  return createPortal(
    <>
      {state === 'max' && <div className="emc-compose-backdrop" onClick={() => onState('normal')} />}
      <div
        className={`emc-compose${state === 'min' ? ' emc-min' : ''}${state === 'max' ? ' emc-max' : ''}`}
        style={{ right }}
        role="dialog"
        aria-label={title}
        data-testid="compose-window"
        data-state={state}
      >
        <div className="emc-compose-head" onClick={() => onState(state === 'min' ? 'normal' : 'min')}>
          <span className="emc-compose-title" data-testid="compose-title">
            {title}
          </span>
          <Tooltip title={state === 'min' ? t('Restore') : t('Minimise')}>
            <Button
              type="text"
              size="small"
              icon={<MinusOutlined />}
              aria-label={state === 'min' ? t('Restore') : t('Minimise')}
              onClick={(e) => {
                stop(e);
                onState(state === 'min' ? 'normal' : 'min');
              }}
              data-testid="compose-minimise"
            />
          </Tooltip>
          <Tooltip title={state === 'max' ? t('Exit full screen') : t('Full screen')}>
            <Button
              type="text"
              size="small"
              icon={state === 'max' ? <FullscreenExitOutlined /> : <FullscreenOutlined />}
              aria-label={state === 'max' ? t('Exit full screen') : t('Full screen')}
              onClick={(e) => {
                stop(e);
                onState(state === 'max' ? 'normal' : 'max');
              }}
              data-testid="compose-maximise"
            />
          </Tooltip>
          <Tooltip title={t('Close')}>
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              aria-label={t('Close')}
              onClick={(e) => {
                stop(e);
                onClose();
              }}
              data-testid="compose-close"
            />
          </Tooltip>
        </div>
        {/* Kept mounted while minimised: the editor keeps its text, undo history and timers. */}
        <div className="emc-compose-body" style={state === 'min' ? { display: 'none' } : undefined}>
          {children}
        </div>
      </div>
    </>,
    document.body,
  );
}
