import { act, cleanup, render, screen } from '@testing-library/react';
import React, { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { badgeText } from '../../src/client/mail-center/format';
import { MAIL_CHANGED_EVENT, notifyMailChanged } from '../../src/client/mail-center/mail-events';
import { MailBadgeButton, useUnreadCount } from '../../src/client/mail-center/unread-badge';
import { MAIL_CHANGED_MESSAGE } from '../../src/shared/mail-center-api';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function Badge({ load, bus }: { load: () => Promise<number>; bus?: EventTarget }) {
  const [stable] = useState(() => load);
  const count = useUnreadCount(stable, bus);
  return <MailBadgeButton count={count} onClick={() => undefined} />;
}

const flush = () => act(async () => {});

describe('mail center badge', () => {
  it('shows "99+" above 99 and the number up to 99', () => {
    render(<MailBadgeButton count={150} onClick={() => undefined} />);
    expect(screen.getByTestId('mail-center-badge').textContent).toContain('99+');
    cleanup();
    render(<MailBadgeButton count={99} onClick={() => undefined} />);
    expect(screen.getByTestId('mail-center-badge').textContent).toContain('99');
    expect(screen.getByTestId('mail-center-badge').textContent).not.toContain('+');
    expect(badgeText(100)).toBe('99+');
    expect(badgeText(7)).toBe('7');
  });

  it('reads the counts on mount, every 60 s, on the server message and after a local change', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let unread = 3;
    const load = vi.fn(async () => unread);
    const bus = new EventTarget();
    render(<Badge load={load} bus={bus} />);
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('mail-center-shortcut').textContent).toContain('3');

    unread = 120;
    await act(async () => {
      vi.advanceTimersByTime(60_000);
    });
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('mail-center-badge').textContent).toContain('99+');

    expect(MAIL_CHANGED_EVENT).toBe(`ws:message:${MAIL_CHANGED_MESSAGE}`);
    unread = 0;
    await act(async () => {
      bus.dispatchEvent(new CustomEvent(MAIL_CHANGED_EVENT, { detail: { accountIds: [1] } }));
    });
    await flush();
    expect(load).toHaveBeenCalledTimes(3);

    await act(async () => notifyMailChanged());
    await flush();
    expect(load).toHaveBeenCalledTimes(4);
  });
});
