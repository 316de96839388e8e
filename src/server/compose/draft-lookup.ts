/**
 * Draft restore (S-DRAFT-3): when the editor opens and auto-save is on, the user's newest unsent
 * draft that has
 *   (a) the same account and From address,
 *   (b) the same set of To addresses, ignoring case and order (two empty sets are equal),
 *   (c) the same mode, and for a reply or forward the same original mail.
 * (c) also holds for a new mail: a reply's draft is not offered to a new mail, nor the reverse.
 * The draft's mode, original and From come from the `compose` JSON DraftService stores; a draft
 * made in the provider's own client has none, and counts as a new mail from its From header.
 * Drafts waiting in the Scheduled box (or failed there) are not offered: they have a send of
 * their own under way.
 */
import { Op } from '@nocobase/database';
import type Application from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { COLLECTIONS } from '../constants';
import { type MessageRow, type Model, rawRows } from '../db-types';
import { UserError } from '../errors';
import type { MailAddress } from '../mime/parse';
import { parseRecipients } from '../send/addresses';
import { REPLY_MODES } from '../send/reply-rules';
import { identitiesOf, jsonValue } from '../send/stored-mail';
import type { ComposeMode } from '../../shared/send-api';
import type { FoundDraft } from '../../shared/compose-api';
import type { ComposeSettingsService } from './compose-settings';
import { idOf } from './text-input';

/** The newest drafts of the account looked at; older ones are not what the user was just writing. */
export const DRAFT_LOOKUP_LIMIT = 200;
/** Schedule states of a draft that still counts as a plain, unsent draft. */
const PLAIN_DRAFT = { [Op.or]: [{ scheduleStatus: null }, { scheduleStatus: 'canceled' }] };

interface StoredCompose {
  mode?: ComposeMode;
  replyToMessageId?: number | null;
  from?: string;
}

export class DraftLookup {
  constructor(
    private readonly app: Application,
    private readonly accounts: AccountService,
    private readonly settings: ComposeSettingsService,
  ) {}

  async find(userId: number, params: Record<string, unknown>): Promise<FoundDraft | null> {
    const account = await this.accounts.owned(userId, params.accountId).catch(() => null);
    if (!account) throw new UserError('Mail account not found', 404, 'accountId');
    const mode = modeOf(params);
    if (!(await this.settings.autoSave(userId))) return null;
    const from = fromOf(account, params.from);
    const original = mode === 'new' ? null : idOf(params.replyToMessageId);
    if (mode !== 'new' && original == null) return null;
    const to = addressSet(params.to);

    const model = this.app.db.getCollection(COLLECTIONS.messages).model;
    // Last saved first; drafts never saved by the editor (no time) after them, on every database.
    const { sequelize } = this.app.db;
    const savedAt = sequelize.fn('COALESCE', sequelize.col(model.rawAttributes.composeSavedAt.field || 'composeSavedAt'), 0);
    const rows = rawRows<MessageRow>(await model.findAll({
      attributes: ['id', 'from', 'to', 'compose'],
      where: { accountId: account.get('id'), draft: true, box: { [Op.ne]: 'trash' }, ...PLAIN_DRAFT },
      order: [[savedAt, 'DESC'], ['updatedAt', 'DESC'], ['id', 'DESC']],
      limit: DRAFT_LOOKUP_LIMIT,
      raw: true,
    }));
    const match = rows.find((row) => {
      const compose = jsonValue<StoredCompose | null>(row.compose, null);
      const draftFrom = (compose?.from || jsonValue<MailAddress | null>(row.from, null)?.address || '').toLowerCase();
      if (draftFrom !== from) return false;
      if ((compose?.mode || 'new') !== mode) return false;
      if (mode !== 'new' && Number(compose?.replyToMessageId) !== original) return false;
      return sameSet(addressSet(jsonValue<MailAddress[]>(row.to, [])), to);
    });
    return match ? { draftId: Number(match.id) } : null;
  }
}

/** As the editor sends it (SendInputReader's rule): 'reply' when an original is named, else 'new'. */
function modeOf(params: Record<string, unknown>): ComposeMode {
  const mode = (params.mode || (params.replyToMessageId != null && params.replyToMessageId !== '' ? 'reply' : 'new')) as ComposeMode;
  if (mode !== 'new' && !REPLY_MODES.includes(mode)) throw new UserError('Invalid mode', 400, 'mode');
  return mode;
}

/** The From address, lower-cased; the account's primary address when none is given. */
function fromOf(account: Model, value: unknown): string {
  if (value == null || value === '') return identitiesOf(account)[0].address;
  const { addresses, invalid } = parseRecipients(value);
  return (addresses[0]?.address || invalid[0] || '').toLowerCase();
}

/** Lower-cased addresses; what is not an address is kept as typed (lower-cased), so it still differs. */
function addressSet(value: unknown): Set<string> {
  const { addresses, invalid } = parseRecipients(value);
  return new Set([...addresses.map((a) => a.address.toLowerCase()), ...invalid.map((a) => a.toLowerCase())]);
}

function sameSet(a: Set<string>, b: Set<string>) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
