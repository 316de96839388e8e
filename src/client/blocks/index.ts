import type { ComponentType } from 'react';
import { registerFlowMailBlock } from './flow';
import { registerFlowEmailTable } from './flow-email-table';
import { registerFlowSendEmail } from './flow-send-email';
import { registerLegacyMailBlock } from './legacy';
import { registerLegacyEmailSend } from './legacy-email-send';
import { registerLegacyEmailTable } from './legacy-email-table';
import { registerLegacySendEmailAction } from './legacy-send-email';

export { ComposeBridgeProvider } from './compose-bridge';

export interface MailBlockParts {
  MailCenter: ComponentType<{ embedded?: boolean; height?: number }>;
}

/**
 * Adds the page blocks to the "Add block" menus of both page kinds the admin UI creates: classic
 * pages ("Classic page (v1)", schema based) and modern pages ("Modern page (v2)", flow engine),
 * and to their record popups: "Email" (the mail center in a card), "Email table" (S-BLOCK-1…5),
 * "Email send" and the "Send email" action of tables, rows and details (S-BLOCK-6). Call from the plugin's `load()`; wrap the app in ComposeBridgeProvider (inside the
 * compose provider) so actions can open the editor.
 */
export function registerMailBlocks(app: any, parts: MailBlockParts) {
  registerLegacyMailBlock(app, parts.MailCenter);
  registerFlowMailBlock(app, parts.MailCenter);
  registerLegacyEmailTable(app);
  registerLegacyEmailSend(app);
  registerLegacySendEmailAction(app);
  registerFlowEmailTable(app);
  registerFlowSendEmail(app);
}
