/** Mass Send Tracking (S-BULK-5): the job list, one job, its place in the mail center, and bulkApi's requests. */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from 'antd';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/client/api';
import { BulkApi, bulkApi } from '../../src/client/mail-center/bulk/bulk-api-client';
import { BulkJobList } from '../../src/client/mail-center/bulk/BulkJobList';
import { BulkJobPage } from '../../src/client/mail-center/bulk/BulkJobPage';
import { BULK_POLL_MS } from '../../src/client/mail-center/bulk/use-live-load';
import { MailCenter } from '../../src/client/mail-center/MailCenter';
import { mailSearch, parseMailLocation } from '../../src/client/mail-center/url-state';
import { BulkCounts, BulkJobView, BulkRecipientView, deriveJobStatus } from '../../src/shared/bulk-api';
import { fakeAccountsApi, fakeMailApi, row } from './mail-center-fakes';

vi.mock('../../src/client/mail-center/save-file', () => ({ saveFile: vi.fn() }));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const counts = (over: Partial<BulkCounts> = {}): BulkCounts => {
  const c = { pending: 0, sending: 0, sent: 0, failed: 0, canceled: 0, ...over };
  return { total: c.pending + c.sending + c.sent + c.failed + c.canceled, ...c };
};

const job = (id: number, over: Partial<BulkJobView> = {}): BulkJobView => {
  const c = over.counts || counts({ sent: 4, failed: 1 });
  return {
    id,
    accountId: 1,
    accountEmail: 'me@gmail.example',
    from: { name: 'Me', address: 'me@gmail.example' },
    subject: `Newsletter ${id}`,
    status: deriveJobStatus(c, over.scheduledAt ?? null),
    counts: c,
    paused: false,
    reason: null,
    waitingUntil: null,
    scheduledAt: null,
    source: { collection: 'customers', emailFieldNames: ['email'], all: false },
    createdAt: '2026-03-01T10:00:00.000Z',
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: null,
    ...over,
  };
};

const recipient = (id: number, over: Partial<BulkRecipientView> = {}): BulkRecipientView => ({
  id,
  address: `r${id}@x.example`,
  name: null,
  status: 'pending',
  reason: null,
  attempts: 0,
  recordKey: String(id),
  sentAt: null,
  messageId: null,
  ...over,
});

const page = <T,>(rows: T[]) => ({ rows, count: rows.length, page: 1, pageSize: 50 });

function fakeBulkApi(jobs: BulkJobView[], recipients: BulkRecipientView[] = [], over: Partial<BulkApi> = {}): BulkApi {
  return {
    jobs: vi.fn(async () => page(jobs)),
    job: vi.fn(async (id: number) => jobs.find((j) => j.id === id) || job(id)),
    recipients: vi.fn(async (_id: number, q?: { status?: string }) => page(recipients.filter((r) => !q?.status || r.status === q.status))),
    cancel: vi.fn(async (id: number) => job(id)),
    resend: vi.fn(async (id: number) => job(id)),
    ...over,
  };
}

const inApp = (node: React.ReactNode) => render(<App>{node}</App>);
const jobRow = (id: number) => screen.getByTestId(`bulk-job-${id}`);
/** Confirms the open Popconfirm by its OK button's test id. */
const confirm = async (testId: string) => fireEvent.click(await screen.findByTestId(testId));

describe('Mass Send Tracking: the list of jobs', () => {
  it('shows subject, account, creation time, a tag per status and the counts with a progress bar; a click opens the job', async () => {
    const jobs = [
      job(1, { counts: counts({ sent: 3, failed: 1, pending: 1 }) }),
      job(2, { counts: counts({ sent: 5 }) }),
      job(3, { counts: counts({ sent: 2, failed: 1, canceled: 1 }) }),
      job(4, { counts: counts({ failed: 2 }) }),
      job(5, { counts: counts({ canceled: 2 }) }),
      job(6, { counts: counts({ pending: 3 }) }),
      job(7, { counts: counts({ pending: 3 }), scheduledAt: '2099-01-01T09:00:00.000Z' }),
    ];
    const onOpen = vi.fn();
    inApp(<BulkJobList api={fakeBulkApi(jobs)} onOpen={onOpen} />);
    await screen.findByTestId('bulk-job-1');
    const status = (id: number) => within(jobRow(id)).getByTestId('bulk-job-status').textContent;
    expect([1, 2, 3, 4, 5, 6, 7].map(status)).toEqual(['Sending', 'Sent', 'Some sent', 'Failed', 'Canceled', 'Pending', 'Scheduled']);
    const first = jobRow(1);
    expect(within(first).getByTestId('bulk-job-subject').textContent).toBe('Newsletter 1');
    expect(first.textContent).toContain('me@gmail.example');
    expect(first.textContent).toMatch(/2026-03-01 \d\d:00/);
    expect(within(first).getByTestId('bulk-counts').textContent).toBe('3 sent · 1 failed · 1 pending');
    expect(within(jobRow(2)).getByTestId('bulk-counts').textContent).toBe('5 sent');
    expect(within(jobRow(3)).getByTestId('bulk-counts').textContent).toBe('2 sent · 1 failed · 1 canceled');
    expect(within(first).getByTestId('bulk-progress')).toBeTruthy();
    expect(jobRow(7).textContent).toContain('2099-01-01');
    fireEvent.click(within(jobRow(3)).getByTestId('bulk-job-subject'));
    expect(onOpen).toHaveBeenCalledWith(3);
  });

  it('shows an empty state when the user has no jobs', async () => {
    inApp(<BulkJobList api={fakeBulkApi([])} onOpen={vi.fn()} />);
    expect((await screen.findByTestId('bulk-jobs-empty')).textContent).toContain('No mass sends yet');
  });

  it('shows the server error and tries again on request', async () => {
    const jobs = vi.fn().mockRejectedValueOnce(new ApiError('Network Error')).mockResolvedValue(page([job(1)]));
    inApp(<BulkJobList api={fakeBulkApi([], [], { jobs })} onOpen={vi.fn()} />);
    const alert = await screen.findByTestId('bulk-jobs-error');
    expect(alert.textContent).toContain('The mass sends could not be loaded');
    expect(alert.textContent).toContain('Network Error');
    fireEvent.click(within(alert).getByText('Try again'));
    await screen.findByTestId('bulk-job-1');
    expect(screen.queryByTestId('bulk-jobs-error')).toBeNull();
  });

  it('refreshes by itself while a job sends, and stops once none does', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const states = [counts({ pending: 2 }), counts({ sent: 1, pending: 1 }), counts({ sent: 2 })];
    let call = 0;
    const jobs = vi.fn(async () => page([job(1, { counts: states[Math.min(call++, states.length - 1)] })]));
    inApp(<BulkJobList api={fakeBulkApi([], [], { jobs })} onOpen={vi.fn()} />);
    const status = () => within(jobRow(1)).getByTestId('bulk-job-status').textContent;
    await waitFor(() => expect(status()).toBe('Pending'));
    await act(async () => void vi.advanceTimersByTime(BULK_POLL_MS));
    await waitFor(() => expect(status()).toBe('Sending'));
    await act(async () => void vi.advanceTimersByTime(BULK_POLL_MS));
    await waitFor(() => expect(status()).toBe('Sent'));
    const calls = jobs.mock.calls.length;
    await act(async () => void vi.advanceTimersByTime(BULK_POLL_MS * 3));
    expect(jobs.mock.calls.length).toBe(calls);
  });

  it('reloads on the server\'s mail-changed message', async () => {
    let fire: () => void = () => undefined;
    const subscribe = vi.fn((listener: () => void) => {
      fire = listener;
      return () => undefined;
    });
    const api = fakeBulkApi([job(1)]);
    inApp(<BulkJobList api={api} onOpen={vi.fn()} subscribeRemote={subscribe} />);
    await screen.findByTestId('bulk-job-1');
    expect(api.jobs).toHaveBeenCalledTimes(1);
    act(() => fire());
    await waitFor(() => expect(api.jobs).toHaveBeenCalledTimes(2));
  });
});

describe('Mass Send Tracking: one job', () => {
  const recipients = [
    recipient(11, { status: 'sent', name: 'Ann', sentAt: '2026-03-01T10:01:00.000Z', messageId: 501 }),
    recipient(12, { status: 'failed', address: 'bad@', reason: 'bad@ is not a email format' }),
    recipient(13, { status: 'pending' }),
    recipient(14, { status: 'canceled', reason: 'Canceled by the user' }),
    recipient(15, { status: 'sent', sentAt: '2026-03-01T10:02:00.000Z', messageId: null }),
    recipient(16, { status: 'sending' }),
  ];
  const theJob = job(9, { counts: counts({ sent: 2, failed: 1, pending: 1, canceled: 1, sending: 1 }) });

  function renderJob(over: Partial<BulkApi> = {}) {
    const api = fakeBulkApi([theJob], recipients, over);
    const onOpenMail = vi.fn();
    const onBack = vi.fn();
    inApp(<BulkJobPage api={api} jobId={9} onBack={onBack} onOpenMail={onOpenMail} />);
    return { api, onOpenMail, onBack };
  }
  const rowOf = (id: number) => screen.getByTestId(`bulk-recipient-${id}`);

  it('lists the recipients with status, reason and sent time; only pending rows cancel, only failed and canceled ones resend', async () => {
    const { api } = renderJob();
    await screen.findByTestId('bulk-recipient-11');
    expect(screen.getByTestId('bulk-job-title').textContent).toBe('Newsletter 9');
    expect(screen.getByTestId('bulk-job-status').textContent).toBe('Sending');
    expect(screen.getByTestId('bulk-job-meta').textContent).toContain('From: Me <me@gmail.example>');
    expect(api.recipients).toHaveBeenCalledWith(9, { status: undefined, page: 1, pageSize: 50 });

    const sent = rowOf(11);
    expect(within(sent).getByTestId('bulk-recipient-status').textContent).toBe('Sent');
    expect(sent.textContent).toContain('Ann');
    expect(sent.textContent).toMatch(/2026-03-01 \d\d:01/);
    expect(within(sent).queryByTestId('bulk-resend-one')).toBeNull();
    expect(within(sent).queryByTestId('bulk-cancel-one')).toBeNull();

    const failed = rowOf(12);
    expect(within(failed).getByTestId('bulk-recipient-status').textContent).toBe('Failed');
    expect(within(failed).getByTestId('bulk-recipient-reason').textContent).toBe('bad@ is not a email format');
    expect(within(failed).getByTestId('bulk-resend-one')).toBeTruthy();
    expect(within(failed).queryByTestId('bulk-cancel-one')).toBeNull();

    expect(within(rowOf(13)).getByTestId('bulk-cancel-one')).toBeTruthy();
    expect(within(rowOf(13)).queryByTestId('bulk-resend-one')).toBeNull();
    expect(within(rowOf(14)).getByTestId('bulk-resend-one')).toBeTruthy();
    // Being sent right now: neither.
    expect(within(rowOf(16)).queryByRole('button')).toBeNull();
    expect(within(rowOf(16)).getByTestId('bulk-recipient-status').textContent).toBe('Sending');
  });

  it('cancels one pending mail after confirmation', async () => {
    const { api } = renderJob();
    await screen.findByTestId('bulk-recipient-13');
    fireEvent.click(within(rowOf(13)).getByTestId('bulk-cancel-one'));
    expect(await screen.findByText('Cancel the mail to r13@x.example?')).toBeTruthy();
    expect(api.cancel).not.toHaveBeenCalled();
    const asked = (api.recipients as any).mock.calls.length;
    await confirm('bulk-confirm-cancel-one');
    await waitFor(() => expect(api.cancel).toHaveBeenCalledWith(9, 13));
    expect(await screen.findByText('The mail was canceled')).toBeTruthy();
    // The numbers and rows are asked again at once (not only by the next poll).
    await waitFor(() => expect((api.recipients as any).mock.calls.length).toBeGreaterThan(asked));
  });

  it('resends one failed mail after confirmation', async () => {
    const { api } = renderJob();
    await screen.findByTestId('bulk-recipient-12');
    fireEvent.click(within(rowOf(12)).getByTestId('bulk-resend-one'));
    expect(await screen.findByText('Send the mail to bad@ again?')).toBeTruthy();
    await confirm('bulk-confirm-resend-one');
    await waitFor(() => expect(api.resend).toHaveBeenCalledWith(9, 12));
    expect(await screen.findByText('The mail will be sent again')).toBeTruthy();
  });

  it('cancels all pending and resends all failed and canceled, each after confirmation', async () => {
    const { api } = renderJob();
    await screen.findByTestId('bulk-recipient-11');
    fireEvent.click(screen.getByTestId('bulk-cancel-all'));
    expect(await screen.findByText('Cancel all 1 pending mails?')).toBeTruthy();
    await confirm('bulk-confirm-cancel-all');
    await waitFor(() => expect(api.cancel).toHaveBeenCalledWith(9));
    expect(await screen.findByText('The pending mails were canceled')).toBeTruthy();

    fireEvent.click(screen.getByTestId('bulk-resend-all'));
    expect(await screen.findByText('Send the 2 failed and canceled mails again?')).toBeTruthy();
    await confirm('bulk-confirm-resend-all');
    await waitFor(() => expect(api.resend).toHaveBeenCalledWith(9));
    expect(await screen.findByText('The failed and canceled mails will be sent again')).toBeTruthy();
  });

  it('shows the server\'s refusal instead of failing silently', async () => {
    const resend = vi.fn(async () => {
      throw new ApiError('The account needs to be reauthorized', { status: 409 });
    });
    renderJob({ resend });
    await screen.findByTestId('bulk-recipient-12');
    fireEvent.click(within(rowOf(12)).getByTestId('bulk-resend-one'));
    await confirm('bulk-confirm-resend-one');
    expect(await screen.findByText('The account needs to be reauthorized')).toBeTruthy();
  });

  it('disables the job-wide buttons when there is nothing to cancel or resend', async () => {
    renderJob({ job: vi.fn(async () => job(9, { counts: counts({ sent: 3 }) })) });
    await screen.findByTestId('bulk-recipient-11');
    expect(screen.getByTestId('bulk-cancel-all').hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('bulk-resend-all').hasAttribute('disabled')).toBe(true);
  });

  it('opens a sent recipient\'s mail by clicking its row; other rows open nothing', async () => {
    const { onOpenMail } = renderJob();
    await screen.findByTestId('bulk-recipient-11');
    fireEvent.click(within(rowOf(12)).getByTestId('bulk-recipient-address'));
    fireEvent.click(within(rowOf(15)).getByTestId('bulk-recipient-address'));
    expect(onOpenMail).not.toHaveBeenCalled();
    fireEvent.click(within(rowOf(11)).getByTestId('bulk-recipient-address'));
    expect(onOpenMail).toHaveBeenCalledWith(501);
  });

  it('filters the recipients by status on the server', async () => {
    const { api } = renderJob();
    await screen.findByTestId('bulk-recipient-11');
    fireEvent.click(within(screen.getByTestId('bulk-recipient-filter')).getByText('Failed (1)'));
    await waitFor(() => expect(api.recipients).toHaveBeenLastCalledWith(9, { status: 'failed', page: 1, pageSize: 50 }));
    await waitFor(() => expect(screen.queryByTestId('bulk-recipient-11')).toBeNull());
    expect(screen.getByTestId('bulk-recipient-12')).toBeTruthy();
  });

  it('keeps following the job until it is finished, and the rows shown then are final', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let done = false;
    const jobFn = vi.fn(async () => job(9, { counts: done ? counts({ sent: 2 }) : counts({ sent: 1, sending: 1 }) }));
    const recipientsFn = vi.fn(async () => page([recipient(1, { status: 'sent' }), recipient(2, { status: done ? 'sent' : 'sending' })]));
    inApp(<BulkJobPage api={fakeBulkApi([], [], { job: jobFn, recipients: recipientsFn })} jobId={9} onBack={vi.fn()} onOpenMail={vi.fn()} />);
    await waitFor(() => expect(screen.getByTestId('bulk-recipient-2').getAttribute('data-status')).toBe('sending'));
    done = true;
    await act(async () => void vi.advanceTimersByTime(BULK_POLL_MS));
    await waitFor(() => expect(screen.getByTestId('bulk-job-status').getAttribute('data-status')).toBe('sent'));
    expect(screen.getByTestId('bulk-recipient-2').getAttribute('data-status')).toBe('sent');
    const calls = jobFn.mock.calls.length;
    await act(async () => void vi.advanceTimersByTime(BULK_POLL_MS * 3));
    expect(jobFn.mock.calls.length).toBe(calls);
  });

  it('says so when the job cannot be loaded (another user\'s, or gone), with Back and Try again', async () => {
    const { onBack } = renderJob({ job: vi.fn(async () => Promise.reject(new ApiError('Bulk send not found', { status: 404 }))) });
    const alert = await screen.findByTestId('bulk-job-error');
    expect(alert.textContent).toContain('The mass send could not be loaded');
    expect(alert.textContent).toContain('Bulk send not found');
    fireEvent.click(screen.getByTestId('bulk-job-back'));
    expect(onBack).toHaveBeenCalled();
  });

  it('tells why a job waits: a paused account, the provider\'s daily limit', async () => {
    renderJob({
      job: vi.fn(async () => job(9, { counts: counts({ sent: 1, pending: 2 }), reason: 'Daily sending limit reached', waitingUntil: '2026-03-01T11:00:00.000Z' })),
    });
    const alert = await screen.findByTestId('bulk-job-waiting');
    expect(alert.textContent).toContain('Daily sending limit reached');
    expect(alert.textContent).toMatch(/Next try at 2026-03-01 \d\d:00/);
  });
});

describe('Mass Send Tracking in the mail center', () => {
  it('has a sidebar entry under the boxes; a sent recipient opens in the reader and Back returns to the job', async () => {
    const bulk = fakeBulkApi([job(9)], [recipient(11, { status: 'sent', sentAt: '2026-03-01T10:01:00.000Z', messageId: 77 })]);
    const api = fakeMailApi([row({ id: 1, subject: 'Inbox mail' })]);
    const onLocationChange = vi.fn();
    inApp(<MailCenter api={api} accountsApi={fakeAccountsApi()} bulkApi={bulk} onLocationChange={onLocationChange} />);
    await screen.findByTestId('thread-row-1');
    const entry = screen.getByTestId('mail-bulk-tracking');
    expect(entry.textContent).toBe('Mass Send Tracking');
    fireEvent.click(entry);
    await screen.findByTestId('bulk-job-9');
    expect(entry.getAttribute('data-active')).toBe('true');
    expect(screen.getByTestId('mail-box-inbox').getAttribute('data-active')).toBe('false');
    expect(screen.queryByTestId('thread-row-1')).toBeNull();
    expect(onLocationChange).toHaveBeenLastCalledWith({ box: 'inbox' }, null, { jobId: null });

    fireEvent.click(within(screen.getByTestId('bulk-job-9')).getByTestId('bulk-job-subject'));
    await screen.findByTestId('bulk-recipient-11');
    expect(onLocationChange).toHaveBeenLastCalledWith({ box: 'inbox' }, null, { jobId: 9 });
    fireEvent.click(within(screen.getByTestId('bulk-recipient-11')).getByTestId('bulk-recipient-address'));
    await waitFor(() => expect(screen.getByTestId('mail-reader').getAttribute('data-loading')).toBe('false'));
    expect(api.thread).toHaveBeenCalledWith(77);
    fireEvent.click(screen.getByTestId('mail-action-back'));
    await screen.findByTestId('bulk-recipient-11');

    fireEvent.click(screen.getByTestId('mail-box-inbox'));
    await screen.findByTestId('thread-row-1');
    expect(screen.queryByTestId('bulk-job-page')).toBeNull();
  });

  it('opens at a job from the URL, and hides the entry without the bulk API', async () => {
    const bulk = fakeBulkApi([job(9)]);
    inApp(<MailCenter api={fakeMailApi([])} accountsApi={fakeAccountsApi()} bulkApi={bulk} initialBulk={{ jobId: 9 }} />);
    await screen.findByTestId('bulk-job-page');
    expect(bulk.job).toHaveBeenCalledWith(9);
    cleanup();
    inApp(<MailCenter api={fakeMailApi([])} accountsApi={fakeAccountsApi()} />);
    await screen.findByTestId('mail-box-inbox');
    expect(screen.queryByTestId('mail-bulk-tracking')).toBeNull();
  });
});

describe('url-state for Mass Send Tracking', () => {
  it('writes and reads ?bulk=1&job=<id>', () => {
    expect(mailSearch({ box: 'inbox' }, null, { jobId: null })).toBe('?bulk=1');
    expect(mailSearch({ box: 'sent' }, 5, { jobId: 9 })).toBe('?box=sent&bulk=1&job=9&open=5');
    expect(parseMailLocation('?bulk=1&job=9').bulk).toEqual({ jobId: 9 });
    expect(parseMailLocation('?bulk=1&job=x').bulk).toEqual({ jobId: null });
    expect(parseMailLocation('?box=sent').bulk).toBeNull();
  });
});

describe('bulkApi', () => {
  it('calls the contract\'s actions and reads a page whether or not NocoBase unwrapped its rows', async () => {
    const request = vi.fn(async (config: { url: string }) => {
      if (config.url === 'mailMassMessages:listOwn') return { data: { data: [job(1)], meta: { count: 21, page: 2, pageSize: 20 } } };
      if (config.url === 'mailMassMessages:recipients') return { data: { data: { rows: [recipient(3)], count: 1, page: 1, pageSize: 50 } } };
      return { data: { data: job(1) } };
    });
    const client = bulkApi({ request });
    expect(await client.jobs({ page: 2 })).toMatchObject({ rows: [{ id: 1 }], count: 21, page: 2, pageSize: 20 });
    expect(await client.recipients(1, { status: undefined, page: 1 })).toMatchObject({ rows: [{ id: 3 }], count: 1 });
    expect(request).toHaveBeenLastCalledWith(expect.objectContaining({ method: 'get', params: { filterByTk: 1, page: 1 } }));
    await client.cancel(1, 3);
    expect(request).toHaveBeenLastCalledWith(expect.objectContaining({ url: 'mailMassMessages:cancel', method: 'post', params: { filterByTk: 1, recipientId: 3 } }));
    await client.resend(1);
    expect(request).toHaveBeenLastCalledWith(expect.objectContaining({ url: 'mailMassMessages:resend', params: { filterByTk: 1 } }));
  });

  it('turns the server\'s error into an ApiError with its message', async () => {
    const request = vi.fn(async () => {
      throw Object.assign(new Error('Request failed'), { response: { status: 409, data: { errors: [{ message: 'Only an email waiting to be sent can be canceled', field: 'recipientId' }] } } });
    });
    await expect(bulkApi({ request }).cancel(1, 2)).rejects.toMatchObject({ message: 'Only an email waiting to be sent can be canceled', details: { status: 409, field: 'recipientId' } });
  });
});
