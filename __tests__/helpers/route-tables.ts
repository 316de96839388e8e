/** The route tables of src/shared, by file: the action constants each contract declares. */
import { ACCOUNT_ACTIONS } from '../../src/shared/accounts-api';
import { BLOCK_ACTIONS } from '../../src/shared/block-api';
import { BULK_ACTIONS } from '../../src/shared/bulk-api';
import { COMPOSE_ACTIONS } from '../../src/shared/compose-api';
import { MAIL_CENTER_ACTIONS } from '../../src/shared/mail-center-api';
import { SEND_ACTIONS } from '../../src/shared/send-api';
import { SETTINGS_ACTIONS } from '../../src/shared/settings-api';

export const ROUTE_TABLES: Record<string, Record<string, string>> = {
  'accounts-api.ts': ACCOUNT_ACTIONS,
  'block-api.ts': BLOCK_ACTIONS,
  'bulk-api.ts': BULK_ACTIONS,
  'compose-api.ts': COMPOSE_ACTIONS,
  'mail-center-api.ts': MAIL_CENTER_ACTIONS,
  'send-api.ts': SEND_ACTIONS,
  'settings-api.ts': SETTINGS_ACTIONS,
};

/** Every `resource:action` of every table, sorted. */
export const ALL_ROUTES = Object.values(ROUTE_TABLES)
  .flatMap((table) => Object.values(table))
  .sort();
