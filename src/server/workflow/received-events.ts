/**
 * From "mail was stored" to "Email received" workflows. The sync (and the send path, for mail
 * just sent) emits MESSAGES_ADDED_EVENT once the rows are committed; this listener takes each
 * event off the sync's path (a queue of its own, one event at a time), and for every enabled
 * workflow of type EMAIL_RECEIVED_TRIGGER:
 *   1. the account must allow workflows (consent.ts) and be one the trigger watches;
 *   2. mail of an account's first import (or a Resync) counts only with `includeFirstImport`;
 *   3. the message must be in one of the trigger's boxes and pass its filter (trigger-filter.ts);
 *   4. the firing is claimed (firings.ts: once per workflow and message, durably);
 *   5. the workflow plugin's dispatcher gets `{ message }` (message-context.ts) with an eventKey
 *      of the same firing, and runs it asynchronously.
 * Only the node whose sync stored the mail hears the event; the claim keeps a replayed event, or
 * the same mail announced twice, from firing twice.
 */
import type Application from '@nocobase/server';
import { EMAIL_RECEIVED_TRIGGER, type MessageContext } from '../../shared/workflow-api';
import { COLLECTIONS, type MessagesAddedEvent } from '../constants';
import type { MessageRow, Model } from '../db-types';
import type { AttachmentService } from '../messages/attachment-service';
import { rowsByProviderIds } from '../messages/sql';
import { readTriggerConfig, type TriggerConfig, watchesAccount } from './config';
import { allowsWorkflows } from './consent';
import { Firings, messageKeyOf } from './firings';
import { messageContexts } from './message-context';
import { matchingIds } from './trigger-filter';
import type { WorkflowModelLike, WorkflowPluginLike } from './workflow-plugin';

type Row = Pick<MessageRow, 'id' | 'accountId' | 'providerMessageId' | 'box' | 'messageId'>;

export class ReceivedMail {
  private readonly firings: Firings;
  /** Events are handled one after the other, in the order the sync committed them. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: Application,
    private readonly workflows: WorkflowPluginLike,
    private readonly attachments: AttachmentService,
  ) {
    this.firings = new Firings(app);
  }

  /** The app-event listener: queues the event and returns at once; never throws. */
  readonly listener = (event: MessagesAddedEvent) => {
    this.queue = this.queue.then(() =>
      this.handle(event).catch((error) => {
        this.app.log.warn(`email-manager: workflows for new mail of account ${event.accountId} failed: ${(error as Error).message}`, {
          module: 'email-manager',
        });
      }),
    );
  };

  /** Resolves once every event heard so far is handled (app stop, tests). */
  idle() {
    return this.queue;
  }

  private enabledTriggers(): { workflow: WorkflowModelLike; config: TriggerConfig }[] {
    const out: { workflow: WorkflowModelLike; config: TriggerConfig }[] = [];
    for (const workflow of this.workflows.enabledCache.values()) {
      if (workflow.type !== EMAIL_RECEIVED_TRIGGER) continue;
      const config = readTriggerConfig(workflow.config);
      if (config) out.push({ workflow, config });
    }
    return out;
  }

  private async handle(event: MessagesAddedEvent) {
    if (!this.workflows.enabled || !event.providerMessageIds?.length) return;
    const candidates = this.enabledTriggers();
    if (!candidates.length) return;
    const account: Model | null = await this.app.db.getRepository(COLLECTIONS.accounts).findOne({ filterByTk: event.accountId });
    if (!account || !allowsWorkflows(account)) return;
    const owner = { id: Number(account.get('id')), userId: Number(account.get('userId')) };
    const triggers = candidates.filter(({ config }) => watchesAccount(config, owner) && (event.phase === 'new' || config.includeFirstImport));
    if (!triggers.length) return;
    const model = this.app.db.getCollection(COLLECTIONS.messages).model;
    const columns = ['id', 'accountId', 'providerMessageId', 'box', 'messageId'];
    const rows = (await rowsByProviderIds(model, owner.id, event.providerMessageIds, columns)) as unknown as Row[];
    const contexts = new Map<number, Promise<MessageContext | undefined>>();
    const contextOf = (id: number) => {
      if (!contexts.has(id)) contexts.set(id, this.context(id, account));
      return contexts.get(id)!;
    };
    for (const { workflow, config } of triggers) {
      const inBoxes = rows.filter((r) => r.box && (config.boxes as string[]).includes(r.box));
      if (!inBoxes.length) continue;
      const matched = await matchingIds(this.app, account, inBoxes.map((r) => Number(r.id)), config.filter);
      for (const row of inBoxes) {
        const id = Number(row.id);
        if (!matched.has(id)) continue;
        const message = { ...row, id, accountId: owner.id };
        if (!(await this.firings.claim(workflow.id, message))) continue;
        const context = await contextOf(id);
        // Removed between the commit and now: nothing to run on.
        if (!context) continue;
        const eventKey = `${EMAIL_RECEIVED_TRIGGER}:${workflow.id}:${messageKeyOf(message)}`;
        const options = { eventKey, ...(event.stack?.length ? { stack: event.stack } : {}) };
        // Asynchronous workflows are queued and run later; what the dispatcher answers is not awaited.
        void Promise.resolve(this.workflows.trigger(workflow, { message: context }, options)).catch(() => undefined);
      }
    }
  }

  private async context(id: number, account: Model): Promise<MessageContext | undefined> {
    const message: Model | null = await this.app.db.getRepository(COLLECTIONS.messages).findOne({ filterByTk: id });
    if (!message) return undefined;
    const [context] = await messageContexts([message], account, this.attachments);
    return context;
  }
}
