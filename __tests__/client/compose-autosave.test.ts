import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoSaver } from '../../src/client/compose/auto-save';

/**
 * Auto-save timing (S-DRAFT-2) on fake timers: 3 s after the last change, at least every 30 s
 * while changes keep coming, only when something changed, quiet retries, a report after the
 * third failure in a row.
 */
describe('auto-save', () => {
  let dirty: boolean;
  let save: () => Promise<void>;
  let reports: (string | null)[];
  let saver: AutoSaver;

  const make = () => {
    saver = new AutoSaver({
      save,
      isDirty: () => dirty,
      onReport: (e) => reports.push(e ? e.message : null),
    });
    saver.setEnabled(true);
  };
  /** A change the user makes: the state becomes dirty until a save succeeds. */
  const edit = () => {
    dirty = true;
    saver.change();
  };

  beforeEach(() => {
    vi.useFakeTimers();
    dirty = false;
    reports = [];
    save = vi.fn(async () => {
      dirty = false;
    });
  });
  afterEach(() => {
    saver?.dispose();
    vi.useRealTimers();
  });

  it('saves 3 s after the last change, not before', async () => {
    make();
    edit();
    await vi.advanceTimersByTimeAsync(2000);
    edit();
    await vi.advanceTimersByTimeAsync(2999);
    expect(vi.mocked(save)).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(1);
  });

  it('saves at least every 30 s while changes keep coming', async () => {
    make();
    // A change every second for 65 s: the 3 s pause never comes.
    for (let s = 0; s < 65; s++) {
      edit();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(vi.mocked(save)).toHaveBeenCalledTimes(2);
    // Then a pause: the last changes are saved 3 s after the last one.
    await vi.advanceTimersByTimeAsync(3000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(3);
  });

  it('saves only when something changed', async () => {
    make();
    saver.change();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(vi.mocked(save)).not.toHaveBeenCalled();
    edit();
    await vi.advanceTimersByTimeAsync(3000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(1);
    // Nothing changed since: no more saves, however long the window stays open.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(1);
  });

  it('does nothing while switched off; switching on with unsaved changes schedules a save', async () => {
    make();
    saver.setEnabled(false);
    edit();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(vi.mocked(save)).not.toHaveBeenCalled();
    saver.setEnabled(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(1);
  });

  it('retries quietly and reports after the third failure in a row; a success clears the report', async () => {
    let failures = 4;
    save = vi.fn(async () => {
      if (failures-- > 0) throw new Error('provider down');
      dirty = false;
    });
    make();
    edit();
    await vi.advanceTimersByTimeAsync(3000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(2);
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(3);
    expect(reports).toEqual(['provider down']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(reports).toEqual(['provider down']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(5);
    expect(reports).toEqual(['provider down', null]);
    expect(dirty).toBe(false);
  });

  it('a change made while a save runs gets its own save afterwards', async () => {
    let finish: () => void = () => undefined;
    save = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            resolve();
          };
        }),
    );
    make();
    edit();
    await vi.advanceTimersByTimeAsync(3000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(1);
    // Still dirty after this save: the user typed on while it ran.
    edit();
    finish();
    await vi.advanceTimersByTimeAsync(3000);
    expect(vi.mocked(save)).toHaveBeenCalledTimes(2);
  });
});
