import mailAccounts from './collections/mailAccounts';
import mailAttachments from './collections/mailAttachments';
import mailMessageLabels from './collections/mailMessageLabels';
import mailMessageNotes from './collections/mailMessageNotes';
import mailMessages from './collections/mailMessages';
import mailmessagelabelsMailmessages from './collections/mailmessagelabelsMailmessages';
import mailOAuthRequests from './collections/mailOAuthRequests';
import mailSendRequests from './collections/mailSendRequests';
import mailSettings from './collections/mailSettings';
import mailSignatures from './collections/mailSignatures';
import mailTemplates from './collections/mailTemplates';
import mailComposeSettings from './collections/mailComposeSettings';
import mailSyncLogs from './collections/mailSyncLogs';
import mailMessageParticipants from './collections/mailMessageParticipants';
import mailMassMessages from './collections/mailMassMessages';
import mailMassMessageRecipients from './collections/mailMassMessageRecipients';
import mailWorkflowFirings from './collections/mailWorkflowFirings';

/** Every collection of the plugin, in dependency order. */
export const collections = [mailSettings, mailAccounts, mailMessages, mailAttachments, mailSyncLogs, mailOAuthRequests,
  mailMessageLabels, mailmessagelabelsMailmessages, mailMessageNotes, mailSendRequests, mailSignatures, mailTemplates, mailComposeSettings, mailMessageParticipants,
  mailMassMessages, mailMassMessageRecipients, mailWorkflowFirings];
