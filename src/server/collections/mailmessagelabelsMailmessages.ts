import { defineCollection } from '@nocobase/database';

/** Which personal label is on which mail (S-CENTER-8). The name is the product's join table name. */
export default defineCollection({
  name: 'mailmessagelabelsMailmessages',
  dumpRules: { group: 'user' },
  migrationRules: ['schema-only', 'skip'],
  autoGenId: true,
  timestamps: false,
  fields: [
    { type: 'bigInt', name: 'labelId', allowNull: false },
    { type: 'bigInt', name: 'messageId', allowNull: false },
  ],
  indexes: [{ fields: ['labelId', 'messageId'], unique: true }, { fields: ['messageId'] }],
});
