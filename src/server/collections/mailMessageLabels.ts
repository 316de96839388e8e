import { defineCollection } from '@nocobase/database';

/** Personal labels (S-CENTER-8): kept in NocoBase only, one set per user across their accounts. */
export default defineCollection({
  name: 'mailMessageLabels',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'string', name: 'name', allowNull: false },
    // Lower-cased name: unique per user whatever the case.
    { type: 'string', name: 'nameKey', allowNull: false },
    { type: 'string', name: 'color' },
  ],
  indexes: [{ fields: ['userId', 'nameKey'], unique: true }],
});
