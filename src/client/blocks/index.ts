import type { ComponentType } from 'react';
import { registerFlowMailBlock } from './flow';
import { registerLegacyMailBlock } from './legacy';

export interface MailBlockParts {
  MailCenter: ComponentType<{ embedded?: boolean; height?: number }>;
}

/**
 * Adds the "Email" block (the mail center in a block card) to the "Add block" menus of both
 * page kinds the admin UI creates: classic pages ("Classic page (v1)", schema based) and modern
 * pages ("Modern page (v2)", flow engine), and to their record popups. Call from the plugin's
 * `load()`.
 */
export function registerMailBlocks(app: any, parts: MailBlockParts) {
  registerLegacyMailBlock(app, parts.MailCenter);
  registerFlowMailBlock(app, parts.MailCenter);
}
