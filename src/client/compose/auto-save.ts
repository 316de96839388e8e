/**
 * When a draft is saved by itself (S-DRAFT-2): 3 s after the last change, and at least every
 * 30 s while changes keep coming, only when something changed since the last save. A failed save
 * is tried again quietly; the third failure in a row is reported (and a later success clears it).
 * Timers only, no React: the compose hook drives it and the tests run it on fake timers.
 */

export const AUTO_SAVE_DEBOUNCE_MS = 3_000;
export const AUTO_SAVE_MAX_INTERVAL_MS = 30_000;
/** A failed save is tried again after this long, as long as the compose stays changed. */
export const AUTO_SAVE_RETRY_MS = 5_000;
export const AUTO_SAVE_FAILURES_TO_REPORT = 3;

export interface AutoSaveOptions {
  /** Saves the current state; rejects on failure. */
  save(): Promise<void>;
  /** Something changed since the last successful save (any kind of save, manual ones too). */
  isDirty(): boolean;
  /** A save cannot start yet (an upload runs, a send is under way): try again later. */
  isBlocked?(): boolean;
  onSaved?(at: Date): void;
  /** The error after AUTO_SAVE_FAILURES_TO_REPORT failures in a row; null once a save works again. */
  onReport?(error: Error | null): void;
  debounceMs?: number;
  maxIntervalMs?: number;
  retryMs?: number;
}

type Timer = ReturnType<typeof setTimeout>;

export class AutoSaver {
  private enabled = false;
  private debounce: Timer | undefined;
  private maxWait: Timer | undefined;
  private retry: Timer | undefined;
  private running: Promise<void> | null = null;
  private failures = 0;
  private disposed = false;

  constructor(private readonly options: AutoSaveOptions) {}

  setEnabled(on: boolean) {
    this.enabled = on;
    if (!on) this.clearTimers();
    else if (this.options.isDirty()) this.change();
  }

  get isEnabled() {
    return this.enabled;
  }

  /** The user changed something. */
  change() {
    if (!this.enabled || this.disposed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.fire(), this.options.debounceMs ?? AUTO_SAVE_DEBOUNCE_MS);
    // The 30 s clock starts at the first change after a save and is not pushed back by later ones.
    if (!this.maxWait) this.maxWait = setTimeout(() => this.fire(), this.options.maxIntervalMs ?? AUTO_SAVE_MAX_INTERVAL_MS);
  }

  /** A save made outside the timers (the Save draft button): the clocks start over. */
  savedElsewhere() {
    this.clearTimers();
    this.failures = 0;
    this.options.onReport?.(null);
  }

  dispose() {
    this.disposed = true;
    this.clearTimers();
  }

  private clearTimers() {
    clearTimeout(this.debounce);
    clearTimeout(this.maxWait);
    clearTimeout(this.retry);
    this.debounce = this.maxWait = this.retry = undefined;
  }

  private async fire() {
    if (!this.enabled || this.disposed) return;
    if (this.running) return;
    this.clearTimers();
    if (!this.options.isDirty()) return;
    if (this.options.isBlocked?.()) {
      this.retry = setTimeout(() => this.fire(), this.options.debounceMs ?? AUTO_SAVE_DEBOUNCE_MS);
      return;
    }
    this.running = this.options.save();
    try {
      await this.running;
      this.running = null;
      if (this.failures >= AUTO_SAVE_FAILURES_TO_REPORT) this.options.onReport?.(null);
      this.failures = 0;
      this.options.onSaved?.(new Date());
      // Typing went on while the save ran: those changes get their own save.
      if (this.options.isDirty()) this.change();
    } catch (error) {
      this.running = null;
      this.failures += 1;
      if (this.failures === AUTO_SAVE_FAILURES_TO_REPORT) this.options.onReport?.(error as Error);
      if (!this.disposed && this.enabled) this.retry = setTimeout(() => this.fire(), this.options.retryMs ?? AUTO_SAVE_RETRY_MS);
    }
  }
}
