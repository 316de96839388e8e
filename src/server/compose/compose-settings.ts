/** The editor's per-user settings (S-DRAFT-2, S-ACL-8): auto-save, off until the user turns it on. */
import type Application from '@nocobase/server';
import { COLLECTIONS } from '../constants';
import type { ComposeSettings } from '../../shared/compose-api';
import { booleanOf, isUniqueViolation } from './text-input';

export class ComposeSettingsService {
  constructor(private readonly app: Application) {}

  private get repo() {
    return this.app.db.getRepository(COLLECTIONS.composeSettings);
  }

  async read(userId: number): Promise<ComposeSettings> {
    const row = await this.repo.findOne({ filter: { userId } });
    return { autoSave: Boolean(row?.get('autoSave')) };
  }

  async autoSave(userId: number): Promise<boolean> {
    return (await this.read(userId)).autoSave;
  }

  async set(userId: number, input: Record<string, unknown>): Promise<ComposeSettings> {
    const autoSave = booleanOf(input.autoSave, 'autoSave');
    const updated = await this.repo.update({ filter: { userId }, values: { autoSave } });
    if (!countOf(updated)) {
      try {
        await this.repo.create({ values: { userId, autoSave } });
      } catch (error) {
        // Another tab made the row first: this change still wins.
        if (!isUniqueViolation(error)) throw error;
        await this.repo.update({ filter: { userId }, values: { autoSave } });
      }
    }
    return this.read(userId);
  }
}

/** Repository.update answers the updated models (NocoBase) or a count, by version. */
function countOf(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  return Number(result) || 0;
}
