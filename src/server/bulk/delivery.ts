/**
 * Sends one claimed recipient (status `sending`) and records the outcome (S-BULK-4):
 * - an earlier attempt that ended unknown (a crash, a 5xx after the upload) is settled first by
 *   asking the provider for a sent mail with the recipient's Message-ID: found, it is Sent
 *   without sending again; not found, it is sent;
 * - Sent: the provider's id is written at once (nothing after it can cause a second send), then
 *   the mail is stored in Sent through the send pipeline's LocalCopy and linked to its job, behind
 *   the sending (a copy lost to a crash is stored by the next sync, without the job link);
 * - the outcome of a failure is decided by outcomeOf (retry, wait for the daily limit, pause, fail).
 */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import type { JobRow, Model, RecipientRow } from '../db-types';
import type { MailAddress } from '../mime/parse';
import { ThrottledError } from '../providers/rate-limits';
import {
  DailyLimitError,
  ProviderUnavailableError,
  ReauthorizeError,
  TokenRejectedError,
  type OutgoingMessage,
  type SentRef,
} from '../providers/types';
import type { LocalCopy } from '../send/local-copy';
import { bulkMail } from './bulk-mail';
import { BULK_MAX_ATTEMPTS, reasonText, RECIPIENT } from './bulk-state';

/** What became of one attempt; the runner acts on the job accordingly. */
export type Outcome =
  | { kind: 'sent' }
  | { kind: 'failed' }
  /** Back to pending; try again after `retryAt`. */
  | { kind: 'retry'; retryAt: number }
  /** The provider's daily limit: the job waits (S-BULK-4). */
  | { kind: 'dailyLimit'; reason: string }
  /** The account cannot send until the user acts: the job pauses. */
  | { kind: 'paused' };

/** A job as the runner hands it over: its From parsed. */
export type SendingJob = Omit<JobRow, 'from'> & { from: MailAddress };
/** A recipient this node claimed (status `sending`), its record parsed. */
export type ClaimedRecipient = Omit<RecipientRow, 'record'> & { record: Record<string, unknown> | null };

/** Sent mails whose copy may wait to be stored before sending waits for them. */
const STORE_BACKLOG = 5;
/** After a provider that did not answer: wait this long before the next try of the job. */
const TRANSIENT_BACKOFF_MS = 30_000;

export class Delivery {
  private storing: Promise<void> = Promise.resolve();
  private backlog = 0;

  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
    private readonly local: LocalCopy,
  ) {}

  private get recipients() {
    return this.app.db.getCollection(COLLECTIONS.massRecipients).model;
  }

  async deliver(job: SendingJob, recipient: ClaimedRecipient, account: Model): Promise<Outcome> {
    const outgoing = bulkMail({
      from: job.from,
      to: recipient.name ? { address: recipient.address, name: recipient.name } : { address: recipient.address },
      subjectTemplate: job.subject || '',
      htmlTemplate: job.html || '',
      record: recipient.record || null,
      messageId: recipient.internetMessageId,
    });
    let sent: SentRef;
    try {
      sent = await this.accounts.withMailbox(account, async (mailbox) => {
        // attempts counts this one: more than one means an earlier attempt may have gone out.
        const earlier = Number(recipient.attempts) > 1 ? await mailbox.outgoing.findSent(recipient.internetMessageId) : null;
        return earlier ?? (await mailbox.outgoing.send(outgoing, null));
      });
    } catch (error) {
      return this.failure(recipient, error);
    }
    await this.mine(recipient.id, {
      status: RECIPIENT.sent,
      providerMessageId: sent.providerMessageId,
      threadId: sent.threadId,
      sentAt: new Date(),
      reason: null,
    });
    await this.storeLater(() => this.store(job, recipient, account, sent, outgoing));
    return { kind: 'sent' };
  }

  /** Waits until every sent mail handed over so far is stored. */
  async flush() {
    await this.storing;
  }

  /**
   * Storing the copy (reading it back from the provider, then the upsert) takes longer than the
   * send itself; it runs behind the sending, one at a time, so it does not stretch the interval.
   * Past STORE_BACKLOG waiting copies the sending waits for them.
   */
  private async storeLater(store: () => Promise<void>) {
    this.backlog++;
    this.storing = this.storing.then(store).finally(() => this.backlog--);
    if (this.backlog > STORE_BACKLOG) await this.storing;
  }

  private async store(job: SendingJob, recipient: ClaimedRecipient, account: Model, sent: SentRef, outgoing: OutgoingMessage) {
    try {
      const messageId = await this.local.keep(account, sent, outgoing, 'sent', null);
      await this.app.db.getCollection(COLLECTIONS.messages).model.update({ massMessageId: job.id }, { where: { id: messageId }, silent: true });
      await this.recipients.update({ messageId }, { where: { id: recipient.id }, silent: true });
    } catch (error) {
      // The mail is out; the next sync stores it. Never a reason to send again.
      this.app.log.warn(`email-manager: bulk mail ${sent.providerMessageId} was sent, but storing it failed: ${(error as Error).message}`, { module: 'email-manager' });
    }
  }

  private async failure(recipient: ClaimedRecipient, error: unknown): Promise<Outcome> {
    const attempts = Number(recipient.attempts) || 1;
    const back = (keepAttempt: boolean) =>
      this.mine(recipient.id, { status: RECIPIENT.pending, claimedAt: null, reason: reasonText(error), ...(keepAttempt ? {} : { attempts: attempts - 1 }) });
    if (error instanceof DailyLimitError) {
      // Refused before sending: this try does not count against the recipient.
      await back(false);
      return { kind: 'dailyLimit', reason: reasonText(error) };
    }
    if (error instanceof ReauthorizeError || error instanceof TokenRejectedError) {
      await back(false);
      return { kind: 'paused' };
    }
    const transient = error instanceof ProviderUnavailableError || error instanceof ThrottledError;
    if (transient && attempts < BULK_MAX_ATTEMPTS) {
      await back(true);
      const retryAt = error instanceof ThrottledError ? error.until.getTime() : Date.now() + TRANSIENT_BACKOFF_MS;
      return { kind: 'retry', retryAt };
    }
    this.app.log.warn(`email-manager: bulk mail to recipient ${recipient.id} failed: ${(error as Error)?.message}`, { module: 'email-manager' });
    await this.mine(recipient.id, { status: RECIPIENT.failed, reason: reasonText(error) });
    return { kind: 'failed' };
  }

  /** Writes only while the row is still `sending`, the state this attempt claimed it in. */
  private mine(id: number, values: Record<string, unknown>) {
    return this.recipients.update(values, { where: { id, status: { [Op.eq]: RECIPIENT.sending } }, silent: true });
  }
}
