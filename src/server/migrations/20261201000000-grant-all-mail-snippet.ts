/**
 * "All emails" now needs the `email-manager.all-mail` snippet instead of following NocoBase's
 * collection permissions (a general "view everything" strategy no longer reads other users'
 * mail). Admin, and roles explicitly given View on mailMessages, keep what they had.
 * Runs once per database (by name); re-running it adds nothing.
 */
import { Migration } from '@nocobase/server';
import { grantAllMailOnUpgrade } from '../acl';

export default class GrantAllMailSnippet extends Migration {
  on = 'afterLoad';
  appVersion = '';

  async up() {
    await grantAllMailOnUpgrade(this.app);
  }
}
