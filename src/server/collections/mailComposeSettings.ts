import { defineCollection } from '@nocobase/database';

/** The editor's per-user settings (S-DRAFT-2): one row per user, made on the first change. */
export default defineCollection({
  name: 'mailComposeSettings',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    // Off by default (S-DRAFT-2).
    { type: 'boolean', name: 'autoSave', defaultValue: false },
  ],
  indexes: [{ fields: ['userId'], unique: true }],
});
