import { Empty } from 'antd';
import React, { ComponentType, useEffect, useRef, useState } from 'react';
import { DEFAULT_HEIGHT, MIN_HEIGHT } from './constants';

export type MailCenterComponent = ComponentType<{ embedded?: boolean; height?: number }>;

export interface MailBlockViewProps {
  MailCenter: MailCenterComponent;
  /** Height for the mail center in px; when absent the view fills its container and measures it. */
  height?: number;
  /** The user holds the `email-manager` snippet. */
  allowed: boolean;
  noPermission: string;
}

/**
 * What the "Email" block shows inside its card, in classic and modern pages alike: the mail
 * center at a fixed height, or, without `height`, at the height its flex container leaves it
 * (the modern card sets its own height for "Specify height" / "Full height").
 */
export function MailBlockView({ MailCenter, height, allowed, noPermission }: MailBlockViewProps) {
  const fill = height === undefined;
  const ref = useRef<HTMLDivElement>(null);
  const measured = useMeasuredHeight(ref, fill);
  const effective = Math.max(MIN_HEIGHT, Math.floor(fill ? measured ?? DEFAULT_HEIGHT : height));
  return (
    <div
      ref={ref}
      data-testid="mail-center-block"
      style={
        fill
          ? { flex: 1, minHeight: MIN_HEIGHT, display: 'flex', flexDirection: 'column', overflow: 'hidden' }
          : { height: effective, display: 'flex', flexDirection: 'column', overflow: 'hidden' }
      }
    >
      {allowed ? (
        <MailCenter embedded height={effective} />
      ) : (
        <div data-testid="mail-center-block-forbidden" style={{ margin: 'auto' }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={noPermission} />
        </div>
      )}
    </div>
  );
}

/** The element's content height, kept up to date while `active`. */
function useMeasuredHeight(ref: React.RefObject<HTMLElement>, active: boolean) {
  const [height, setHeight] = useState<number>();
  useEffect(() => {
    const el = ref.current;
    if (!active || !el) return setHeight(undefined);
    const update = () => setHeight((prev) => (prev === el.clientHeight ? prev : el.clientHeight || undefined));
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, active]);
  return height;
}
