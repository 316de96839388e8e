import { useEffect, useRef } from 'react';

/** Gmail's shortcuts for the list and the reader. */
export type MailCommand = 'next' | 'prev' | 'open' | 'archive' | 'trash' | 'back' | 'select' | 'star';

const KEYS: Record<string, MailCommand> = {
  j: 'next',
  k: 'prev',
  Enter: 'open',
  o: 'open',
  e: 'archive',
  '#': 'trash',
  u: 'back',
  x: 'select',
  s: 'star',
};

/** Keys typed into a field, an editor or a dialog are the user's text, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  if (el.isContentEditable) return true;
  return Boolean(el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"], .ant-select, .ant-picker-dropdown, .ant-dropdown, .ant-popover'));
}

export function commandFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): MailCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(event.target)) return null;
  return KEYS[event.key] ?? null;
}

/** Listens on the document while `enabled`; the handler always sees the latest state. */
export function useMailKeyboard(handler: (command: MailCommand) => void, enabled = true): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const command = commandFor(event);
      if (!command) return;
      // Enter on a focused button or link is that control's own click.
      if (command === 'open' && event.key === 'Enter' && (event.target as HTMLElement)?.closest?.('button, a, [role="button"], [role="checkbox"]')) return;
      event.preventDefault();
      latest.current(command);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
