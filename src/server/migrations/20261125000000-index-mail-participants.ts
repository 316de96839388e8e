/**
 * Back-fills mailMessageParticipants (the Email table block's address index) for mail stored
 * before the index existed. Runs after the tables are synced and loaded; the sync, sent copies
 * and drafts keep the index in step from then on (src/server/messages/participant-index.ts).
 * Re-running it is harmless: each batch replaces its mails' rows.
 */
import { Migration } from '@nocobase/server';
import { ParticipantIndex } from '../messages/participant-index';

export default class IndexMailParticipants extends Migration {
  on = 'afterLoad';
  // Whatever the app's version: NocoBase's migrator runs it once per database (by name).
  appVersion = '';

  async up() {
    if (!this.db.getCollection('mailMessageParticipants') || !this.db.getCollection('mailMessages')) return;
    const participants = this.db.getCollection('mailMessageParticipants');
    // The table is new in this version: create it if the upgrade has not synced it yet.
    if (!(await participants.existsInDb())) await participants.sync();
    await new ParticipantIndex(this.db).rebuildAll();
  }
}
