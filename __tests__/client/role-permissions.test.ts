/** Roles & permissions → Email: the snippet names and how the tab grants and takes them away. */
import { describe, expect, it } from 'vitest';
import { ALL_MAIL_SNIPPET, SETTINGS_SNIPPET, USER_SNIPPET, withSnippet } from '../../src/shared/acl-snippets';

describe('Roles & permissions → Email', () => {
  it('keeps the snippet names roles have stored', () => {
    expect([USER_SNIPPET, ALL_MAIL_SNIPPET, SETTINGS_SNIPPET]).toEqual(['email-manager', 'email-manager.all-mail', 'pm.mail']);
  });

  it('grants and takes away a snippet, dropping an explicit refusal and keeping the others', () => {
    expect(withSnippet(['ui.*', USER_SNIPPET], ALL_MAIL_SNIPPET, true)).toEqual(['ui.*', USER_SNIPPET, ALL_MAIL_SNIPPET]);
    expect(withSnippet(['ui.*', `!${ALL_MAIL_SNIPPET}`], ALL_MAIL_SNIPPET, true)).toEqual(['ui.*', ALL_MAIL_SNIPPET]);
    expect(withSnippet(['ui.*', ALL_MAIL_SNIPPET, USER_SNIPPET], ALL_MAIL_SNIPPET, false)).toEqual(['ui.*', USER_SNIPPET]);
    // The personal snippet is a prefix of the other: each is matched whole.
    expect(withSnippet([USER_SNIPPET, ALL_MAIL_SNIPPET], USER_SNIPPET, false)).toEqual([ALL_MAIL_SNIPPET]);
  });
});
