import { defineCollection } from '@nocobase/database';

/**
 * The one settings row (S-CONF). Secrets are stored encrypted (see ../secrets.ts) and are
 * `hidden`, so no generic serialisation of a row can ever carry them.
 */
export default defineCollection({
  name: 'mailSettings',
  dumpRules: 'required',
  migrationRules: ['overwrite', 'schema-only'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'string', name: 'googleClientId' },
    { type: 'text', name: 'googleClientSecret', hidden: true },
    { type: 'string', name: 'microsoftClientId' },
    { type: 'text', name: 'microsoftClientSecret', hidden: true },
    { type: 'string', name: 'microsoftTenant', defaultValue: 'common' },
    { type: 'integer', name: 'syncInterval', defaultValue: 5 },
    { type: 'integer', name: 'massSendInterval', defaultValue: 2000 },
    { type: 'boolean', name: 'viewByDepartment', defaultValue: false },
    { type: 'json', name: 'addressSearch' },
    // S-IMAP-1: other mail servers (IMAP/SMTP), off by default, and the hosts users may enter.
    { type: 'boolean', name: 'imapEnabled', defaultValue: false },
    { type: 'json', name: 'imapAllowedHosts', defaultValue: [] },
  ],
});
