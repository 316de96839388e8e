import { describe, expect, it } from 'vitest';
import { firstInvalid, isEmail, normalizeRecipients, parseRecipient, recipientText, sameAddressSet, splitRecipientText } from '../../src/client/compose/addresses';

/** Recipients as tokens (S-SEND-3): paste splitting, per-address validation, duplicates merged ignoring case. */
describe('compose recipients', () => {
  it('splits a pasted list at commas, semicolons and newlines, but not inside quotes or <…>', () => {
    expect(splitRecipientText('a@x.com, b@y.org;c@z.net\nDan <d@x.com>\r\n')).toEqual(['a@x.com', 'b@y.org', 'c@z.net', 'Dan <d@x.com>']);
    expect(splitRecipientText('"Doe, John" <john@x.com>; <odd,one@x.com>')).toEqual(['"Doe, John" <john@x.com>', '<odd,one@x.com>']);
    expect(splitRecipientText(' ,; \n')).toEqual([]);
  });

  it('reads "Name <address>", bare addresses and mailto:', () => {
    expect(parseRecipient('Ann Lee <ann@x.com>')).toEqual({ name: 'Ann Lee', address: 'ann@x.com', valid: true });
    expect(parseRecipient('"Doe, John" <john@x.com>')).toEqual({ name: 'Doe, John', address: 'john@x.com', valid: true });
    expect(parseRecipient('<ann@x.com>')).toEqual({ address: 'ann@x.com', valid: true });
    expect(parseRecipient('mailto:ann@x.com')).toEqual({ address: 'ann@x.com', valid: true });
    // A name equal to the address is no name.
    expect(parseRecipient('ann@x.com <ann@x.com>')).toEqual({ address: 'ann@x.com', valid: true });
  });

  it('validates each address as the server does', () => {
    for (const good of ['a@x.io', 'first.last+tag@sub.example.co.uk', "o'brien@x.com"]) expect(isEmail(good), good).toBe(true);
    for (const bad of ['plain', 'a@', '@x.com', 'a@x', 'a..b@x.com', '.a@x.com', 'a.@x.com', 'a b@x.com', 'a@x.c', `${'a'.repeat(250)}@x.com`]) {
      expect(isEmail(bad), bad).toBe(false);
    }
    const list = normalizeRecipients(['good@x.com, not-an-address; Bob <bob@y.org>']);
    expect(list.map((r) => [r.address, r.valid])).toEqual([
      ['good@x.com', true],
      ['not-an-address', false],
      ['bob@y.org', true],
    ]);
    expect(firstInvalid([], list)?.address).toBe('not-an-address');
  });

  it('merges duplicates ignoring case and keeps the first one written', () => {
    const list = normalizeRecipients(['Dan Doe <dan@x.com>', 'DAN@X.COM; eve@x.com', { address: 'Eve@x.com', name: 'Eve' }]);
    expect(list).toEqual([
      { name: 'Dan Doe', address: 'dan@x.com', valid: true },
      { address: 'eve@x.com', valid: true },
    ]);
  });

  it('writes tokens back so the server reads them the same way', () => {
    expect(recipientText({ name: 'Doe, John', address: 'john@x.com' })).toBe('"Doe, John" <john@x.com>');
    expect(normalizeRecipients([recipientText({ name: 'Doe, John', address: 'john@x.com' })])).toEqual([{ name: 'Doe, John', address: 'john@x.com', valid: true }]);
    expect(recipientText({ address: 'a@x.com' })).toBe('a@x.com');
  });

  it('compares recipient sets ignoring case and order', () => {
    expect(sameAddressSet([{ address: 'A@x.com' }, { address: 'b@x.com' }], [{ address: 'b@x.com' }, { address: 'a@X.com' }])).toBe(true);
    expect(sameAddressSet([], [])).toBe(true);
    expect(sameAddressSet([{ address: 'a@x.com' }], [])).toBe(false);
  });
});
