import { defineCollection } from '@nocobase/database';

/** Personal templates (S-TPL-1): a name unique per user whatever its case, an optional subject, a body. */
export default defineCollection({
  name: 'mailTemplates',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: true,
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'string', name: 'name', allowNull: false },
    // Lower-cased name: the unique index makes "Offer" and "offer" one name, even under a race.
    { type: 'string', name: 'nameKey', allowNull: false },
    { type: 'text', name: 'subject' },
    { type: 'text', name: 'html', length: 'long' },
  ],
  indexes: [{ fields: ['userId', 'nameKey'], unique: true }],
});
