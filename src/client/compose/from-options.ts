/**
 * The From list (S-SEND-2): each own account's primary address and its synced aliases, in the
 * server's order (src/server/send/stored-mail.ts identitiesOf). An alias that several accounts
 * share also names the account's mailbox, so the user can tell the entries apart.
 */
import type { AccountView } from '../accounts/types';
import { addressFull } from '../mail-center/format';

export interface FromOption {
  /** `<accountId>|<address>`: one entry per account and address. */
  value: string;
  accountId: number;
  address: string;
  name?: string;
  label: string;
  /** The account cannot send now (S-SEND-9): shown, not selectable. */
  disabled: boolean;
  primary: boolean;
}

const CANNOT_SEND = new Set(['reauthorize', 'error', 'disabled']);

export const fromValue = (accountId: number, address: string) => `${accountId}|${address.toLowerCase()}`;

export function fromOptions(accounts: AccountView[]): FromOption[] {
  const rows: Omit<FromOption, 'label'>[] = [];
  for (const account of accounts) {
    const primary = account.email.toLowerCase();
    const disabled = CANNOT_SEND.has(account.status);
    rows.push({ value: fromValue(account.id, primary), accountId: account.id, address: primary, name: account.displayName || undefined, disabled, primary: true });
    const seen = new Set([primary]);
    for (const alias of account.aliases || []) {
      const address = String(alias.email || '').toLowerCase();
      if (!address || alias.isPrimary || seen.has(address)) continue;
      seen.add(address);
      rows.push({ value: fromValue(account.id, address), accountId: account.id, address, name: alias.displayName || undefined, disabled, primary: false });
    }
  }
  const owners = new Map<string, number>();
  for (const r of rows) owners.set(r.address, (owners.get(r.address) || 0) + 1);
  return rows.map((r) => {
    const base = addressFull({ name: r.name, address: r.address });
    const mailbox = accounts.find((a) => a.id === r.accountId)!.email;
    return { ...r, label: owners.get(r.address)! > 1 && !r.primary ? `${base} (${mailbox})` : base };
  });
}

/**
 * The default sender: the account selected in the mail center, else the one last used, else the
 * first that can send; always its primary address.
 */
export function defaultFrom(options: FromOption[], preferred: (number | null | undefined)[]): FromOption | undefined {
  const usable = options.filter((o) => o.primary && !o.disabled);
  for (const id of preferred) {
    const hit = id ? usable.find((o) => o.accountId === id) : undefined;
    if (hit) return hit;
  }
  return usable[0] || options.find((o) => o.primary);
}

/** The entry for a known sender (a reply's or draft's `from`), or the account's primary address. */
export function matchFrom(options: FromOption[], accountId: number, address?: string | null): FromOption | undefined {
  const exact = address ? options.find((o) => o.value === fromValue(accountId, address)) : undefined;
  return exact || options.find((o) => o.accountId === accountId && o.primary);
}

/** The sender a compose opens with: a reply's or draft's own identity (S-SEND-8), else the default. */
export function initialFrom(
  options: FromOption[],
  opened: { accountId: number | null; from: string | null; draftId: number | null; mode: string },
  preferred: number | null | undefined,
  last: number | null,
): FromOption | undefined {
  if (opened.accountId && (opened.draftId || opened.mode !== 'new')) return matchFrom(options, opened.accountId, opened.from);
  return defaultFrom(options, [opened.accountId, preferred, last]);
}
