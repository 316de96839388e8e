import { describe, expect, it } from 'vitest';
import { ALL_MAIL_SNIPPET, withSnippet } from '../../src/shared/acl-snippets';

describe('Roles & permissions → Email', () => {
  it('grants and takes away a snippet, dropping an explicit refusal and keeping the others', () => {
    expect(withSnippet(['ui.*', 'email-manager'], ALL_MAIL_SNIPPET, true)).toEqual(['ui.*', 'email-manager', ALL_MAIL_SNIPPET]);
    expect(withSnippet(['ui.*', `!${ALL_MAIL_SNIPPET}`], ALL_MAIL_SNIPPET, true)).toEqual(['ui.*', ALL_MAIL_SNIPPET]);
    expect(withSnippet(['ui.*', ALL_MAIL_SNIPPET, 'email-manager'], ALL_MAIL_SNIPPET, false)).toEqual(['ui.*', 'email-manager']);
    // The personal snippet is a prefix of the other: each is matched whole.
    expect(withSnippet(['email-manager', ALL_MAIL_SNIPPET], 'email-manager', false)).toEqual([ALL_MAIL_SNIPPET]);
  });
});
