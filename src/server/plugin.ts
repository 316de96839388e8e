import { Plugin } from '@nocobase/server';
import { AccountService } from './accounts/account-service';
import { UserOffboarding } from './accounts/offboarding';
import { grantUserSnippet, registerAcl } from './acl';
import { ACCOUNT_SECRET_FIELDS, accountActions } from './actions/accounts';
import { workflowAccountActions } from './actions/workflow-accounts';
import { ServerAccounts } from './accounts/server-accounts';
import { registerSecretRedaction } from './actions/redact';
import { SETTINGS_SECRET_FIELDS, settingsActions } from './actions/settings';
import { collections } from './collection-list';
import { ACCOUNT_CONNECTED_EVENT } from './constants';
import { registerLocales } from './locale';
import { OAuthService } from './oauth/oauth-service';
import { dropTablesOnRemove } from './remove';
import { SecretBox } from './secrets';
import { SettingsService } from './settings/settings-service';
import { adminSyncLogActions, syncActions } from './actions/sync';
import { attachmentActions } from './actions/attachments';
import { AttachmentService } from './messages/attachment-service';
import { mailCenterActions } from './actions/messages';
import { LabelsService } from './messages/labels-service';
import { MailChanges } from './messages/mail-changes';
import { NotesService } from './messages/notes-service';
import { ThreadQuery } from './messages/thread-query';
import { ThreadViewService } from './messages/thread-view';
import { SyncScheduler } from './jobs/sync-scheduler';
import { ImapIdleWatcher } from './jobs/imap-idle';
import { SyncEngine } from './sync/sync-engine';
import { sendActions } from './actions/send';
import { SendInputReader } from './send/send-input';
import { DraftService } from './send/draft-service';
import { LocalCopy } from './send/local-copy';
import { OutgoingBuilder } from './send/outgoing';
import { ReplyDraftService } from './send/reply-draft';
import { SendService } from './send/send-service';
import { StoredMail } from './send/stored-mail';
import { UploadStore } from './send/uploads';
import { UploadSweeper } from './send/uploads-sweeper';
import { composeActions } from './actions/compose';
import { AddressSuggestService } from './compose/address-suggest';
import { ComposeSettingsService } from './compose/compose-settings';
import { DraftLookup } from './compose/draft-lookup';
import { SignatureService } from './compose/signatures';
import { TemplateService } from './compose/templates';
import { ScheduleService } from './send/schedule-service';
import { ScheduledSender } from './jobs/scheduled-send';
import { bulkActions } from './actions/bulk';
import { bulkSend, type BulkRunner } from './bulk';
import { blockActions } from './actions/blocks';
import { BlockQuery } from './blocks/block-query';
import { registerBlockPermissions } from './blocks/block-scope';
import { queueSqliteWriters } from './sqlite-writers';
import { registerWorkflowMail } from './workflow/registration';
import type { ReceivedMail } from './workflow/received-events';

/** Server half of Email manager: wires the parts together, holds no logic of its own. */
export class PluginEmailManagerServer extends Plugin {
  settings!: SettingsService;
  accounts!: AccountService;
  oauth!: OAuthService;
  engine!: SyncEngine;
  scheduler!: SyncScheduler;
  scheduledSender!: ScheduledSender;
  bulkRunner!: BulkRunner;
  offboarding!: UserOffboarding;
  uploadSweeper!: UploadSweeper;
  imapIdle!: ImapIdleWatcher;
  /** "Email received" workflows fed by new mail; null without the Workflow plugin. */
  workflowMail: ReceivedMail | null = null;

  async load() {
    queueSqliteWriters(this.db);
    // Loaded by class (tests) the collections folder is not scanned; by package name it is.
    for (const definition of collections) {
      if (!this.db.getCollection(definition.name)) this.db.collection(definition);
    }
    const secrets = new SecretBox(this.app);
    this.settings = new SettingsService(this.app);
    this.accounts = new AccountService(this.app, this.settings, secrets);
    this.oauth = new OAuthService(this.app, this.accounts, secrets);
    this.engine = new SyncEngine(this.app, this.accounts);
    this.scheduler = new SyncScheduler(this.app, this.engine, this.settings);
    // Tests drive the scheduler by hand (`scheduler: false` in the plugin options).
    if (this.options.scheduler !== false) this.scheduler.start();
    this.app.on(ACCOUNT_CONNECTED_EVENT, ({ accountId, created }: { accountId: number; created: boolean }) =>
      this.scheduler.request(accountId, created ? 'initial' : 'incremental'),
    );
    // IMAP accounts: IDLE turns new mail into a sync of the Inbox within seconds (jobs/imap-idle.ts).
    // Tests drive its beat themselves, and its changes then run the sync at once.
    this.imapIdle = new ImapIdleWatcher(this.app, this.accounts, this.settings, (accountId, scope) =>
      this.options.scheduler === false
        ? this.scheduler.runLocked(accountId, 'incremental', scope)
        : this.scheduler.request(accountId, 'incremental', scope),
    );
    if (this.options.scheduler !== false) {
      this.imapIdle.start();
      // A just-connected IMAP account is watched at once, not at the next 30-second beat.
      this.app.on(ACCOUNT_CONNECTED_EVENT, () => this.imapIdle.tick().catch(() => undefined));
    }
    this.app.on('beforeStop', () => this.imapIdle.stop());
    registerLocales(this.app);
    dropTablesOnRemove(this.app, this.name);
    // A deleted user's accounts, mail and unsent mail go with them (accounts/offboarding.ts).
    this.offboarding = new UserOffboarding(this.app, this.accounts);
    this.offboarding.register();
    this.uploadSweeper = new UploadSweeper(this.app);
    // Tests sweep by calling sweepOrphans() / sweep() themselves.
    if (this.options.scheduler !== false) {
      this.offboarding.start();
      this.uploadSweeper.start();
    }

    const settings = { ...settingsActions(this.settings), ...adminSyncLogActions(this.app) };
    const attachments = new AttachmentService(this.app, this.accounts);
    const query = new ThreadQuery(this.app);
    const changes = new MailChanges(this.app, this.accounts);
    const send = this.sendServices(attachments);
    const composeSettings = new ComposeSettingsService(this.app);
    this.scheduledSender = new ScheduledSender(this.app, send);
    // Like the sync scheduler: tests send due mail by calling tick() themselves.
    if (this.options.scheduler !== false) this.scheduledSender.start();
    // Mail in workflows (S-WF-1/2): only with the Workflow plugin enabled (workflow/registration.ts).
    this.workflowMail = registerWorkflowMail(this.app, { accounts: this.accounts, attachments, send: send.send, stored: send.stored });
    const bulk = bulkSend(this.app, { accounts: this.accounts, settings: this.settings, local: new LocalCopy(this.app, this.accounts) });
    this.bulkRunner = bulk.runner;
    // Like the scheduled sender: tests send bulk jobs by calling runDue() themselves.
    if (this.options.scheduler !== false) this.bulkRunner.start();
    this.app.on('beforeStop', () => this.bulkRunner.halt());
    this.app.on('afterStart', () => this.bulkRunner.resume());
    const personal = {
      ...accountActions(this.accounts, this.oauth, this.settings, new ServerAccounts(this.app, this.accounts, this.settings)),
      ...workflowAccountActions(this.app),
      ...syncActions(this.app, this.accounts, this.scheduler),
      ...attachmentActions(attachments),
      ...mailCenterActions({
        accounts: this.accounts,
        query,
        reader: new ThreadViewService(this.app, attachments, query),
        changes,
        labels: new LabelsService(this.app, changes),
        notes: new NotesService(this.app, attachments),
      }),
      ...sendActions(send),
      ...bulkActions(bulk.jobs),
      ...blockActions(new BlockQuery(this.app, attachments, query)),
      ...composeActions({
        signatures: new SignatureService(this.app, this.accounts),
        templates: new TemplateService(this.app),
        settings: composeSettings,
        lookup: new DraftLookup(this.app, this.accounts, composeSettings),
        schedules: send.schedules,
        addresses: new AddressSuggestService(this.app, this.accounts),
      }),
    };
    this.app.resourceManager.registerActionHandlers({ ...settings, ...personal });
    registerAcl(this.app, { settings: Object.keys(settings), personal: Object.keys(personal) });
    registerBlockPermissions(this.app);
    registerSecretRedaction(this.app, { ...SETTINGS_SECRET_FIELDS, ...ACCOUNT_SECRET_FIELDS });
  }

  /** The send pipeline (src/server/send). */
  private sendServices(attachments: AttachmentService) {
    const stored = new StoredMail(this.app, this.accounts);
    const uploads = new UploadStore();
    const reader = new SendInputReader(this.accounts, stored);
    const builder = new OutgoingBuilder(uploads, stored, attachments);
    const local = new LocalCopy(this.app, this.accounts);
    const drafts = new DraftService(this.app, { accounts: this.accounts, reader, builder, local, stored, attachments });
    return {
      send: new SendService(this.app, { accounts: this.accounts, reader, builder, local, uploads }),
      drafts,
      replies: new ReplyDraftService(this.accounts, stored, attachments),
      stored,
      uploads,
      schedules: new ScheduleService(this.app, { accounts: this.accounts, reader, drafts, stored }),
    };
  }

  async install() {
    await this.settings.row();
    await grantUserSnippet(this.app);
  }

  /** S-LIFE-3: no new runs once disabling starts; a running batch still commits. */
  async beforeDisable() {
    this.scheduler?.stop();
    this.scheduledSender?.stop();
    this.bulkRunner?.stop();
    this.offboarding?.stop();
    this.uploadSweeper?.stop();
  }

  async afterEnable() {
    await grantUserSnippet(this.app);
  }
}

export default PluginEmailManagerServer;
