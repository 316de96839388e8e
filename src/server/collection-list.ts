import mailAccounts from './collections/mailAccounts';
import mailAttachments from './collections/mailAttachments';
import mailMessages from './collections/mailMessages';
import mailOAuthRequests from './collections/mailOAuthRequests';
import mailSettings from './collections/mailSettings';
import mailSyncLogs from './collections/mailSyncLogs';

/** Every collection of the plugin, in dependency order. */
export const collections = [mailSettings, mailAccounts, mailMessages, mailAttachments, mailSyncLogs, mailOAuthRequests];
