/** The blocks' stored names, menus and sizes: names saved with pages, so keep them stable. */
import { NAMESPACE } from '../locale';

/** Names the block is stored under: keep them stable, saved pages refer to them. */
export const LEGACY_COMPONENT = 'EmailManagerMailCenterBlock';
export const LEGACY_INITIALIZER_COMPONENT = 'EmailManagerMailCenterBlockInitializer';
export const LEGACY_SETTINGS = 'blockSettings:emailManagerMailCenter';
export const LEGACY_ITEM = 'otherBlocks.emailManagerMailCenter';
export const FLOW_MODEL = 'EmailManagerMailCenterBlockModel';

/** "Add block" menus of classic (v1) pages and record popups the block joins. */
export const LEGACY_ADD_BLOCK_MENUS = ['page:addBlock', 'popup:common:addBlock'];

/** Height of the mail center when the block's height setting is "Default". */
export const DEFAULT_HEIGHT = 640;
export const MIN_HEIGHT = 240;

/**
 * The block's title, as an expression both UIs translate when they render it: schema
 * initializers compile `{{t(…)}}`, the flow engine resolves it the same way (its `tExpr`).
 */
export const EMAIL_TITLE = `{{t("Email", ${JSON.stringify({ ns: NAMESPACE })})}}`;

/** The Email table, details and send blocks and the Send email action (issue 9); stored names, keep them stable. */
export const FLOW_EMAIL_TABLE_MODEL = 'EmailManagerEmailTableBlockModel';
export const FLOW_EMAIL_SEND_MODEL = 'EmailManagerEmailSendBlockModel';
export const FLOW_SEND_ACTION_MODEL = 'EmailManagerSendEmailActionModel';
export const LEGACY_EMAIL_TABLE_COMPONENT = 'EmailManagerEmailTableBlock';
export const LEGACY_EMAIL_TABLE_INITIALIZER = 'EmailManagerEmailTableBlockInitializer';
export const LEGACY_EMAIL_TABLE_SETTINGS = 'blockSettings:emailManagerEmailTable';
export const LEGACY_EMAIL_TABLE_ITEM = 'otherBlocks.emailManagerEmailTable';

/** Classic (v1) pages: the Send email action and the Email send block (S-BLOCK-6); stored names, keep them stable. */
export const LEGACY_SEND_ACTION = 'emailManagerSendEmail';
export const LEGACY_SEND_ACTION_SETTINGS = 'actionSettings:emailManagerSendEmail';
export const LEGACY_SEND_ACTION_INITIALIZER = 'EmailManagerSendEmailActionInitializer';
export const LEGACY_SEND_ACTION_PROPS = 'useEmailManagerSendEmailActionProps';
/** Where classic pages list actions: a table's top bar, its rows, a details block. */
export const LEGACY_BLOCK_ACTION_MENUS = ['table:configureActions'];
export const LEGACY_RECORD_ACTION_MENUS = ['table:configureItemActions', 'details:configureActions'];
export const LEGACY_EMAIL_SEND_COMPONENT = 'EmailManagerEmailSendBlock';
export const LEGACY_EMAIL_SEND_INITIALIZER = 'EmailManagerEmailSendBlockInitializer';
export const LEGACY_EMAIL_SEND_SETTINGS = 'blockSettings:emailManagerEmailSend';
export const LEGACY_EMAIL_SEND_ITEM = 'otherBlocks.emailManagerEmailSend';
