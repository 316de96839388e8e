/** The "Email" block's content and who may see it (the personal-use snippet). */
import { cleanup, render, screen } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { EMAIL_TITLE } from '../../src/client/blocks/constants';
import { MailBlockView } from '../../src/client/blocks/MailBlockView';
import { snippetAllowed } from '../../src/client/blocks/snippets';
import { USER_SNIPPET } from '../../src/shared/acl-snippets';

function FakeMailCenter(props: { embedded?: boolean; height?: number }) {
  return <div data-testid="fake-mail-center">{`embedded=${props.embedded} height=${props.height}`}</div>;
}

describe('"Email" block content', () => {
  afterEach(cleanup);

  it('renders the mail center embedded, at the block height', () => {
    render(<MailBlockView MailCenter={FakeMailCenter} height={500} allowed noPermission="No" />);
    expect(screen.getByTestId('fake-mail-center').textContent).toBe('embedded=true height=500');
    expect(screen.getByTestId('mail-center-block').style.height).toBe('500px');
  });

  it('shows a notice instead of the mail center without the snippet', () => {
    render(<MailBlockView MailCenter={FakeMailCenter} height={500} allowed={false} noPermission="No mail for you" />);
    expect(screen.queryByTestId('fake-mail-center')).toBeNull();
    expect(screen.getByTestId('mail-center-block-forbidden').textContent).toContain('No mail for you');
  });

  it('titles the block "Email" in the plugin namespace', () => {
    expect(EMAIL_TITLE).toBe('{{t("Email", {"ns":"@nocobase/plugin-email-manager"})}}');
  });
});

describe('snippetAllowed', () => {
  it('follows NocoBase snippet patterns: exact, wildcard, negation, allowAll', () => {
    expect(snippetAllowed([USER_SNIPPET, 'ui.*'], USER_SNIPPET)).toBe(true);
    expect(snippetAllowed(['ui.*'], USER_SNIPPET)).toBe(false);
    expect(snippetAllowed([`!${USER_SNIPPET}`, 'ui.*'], USER_SNIPPET)).toBe(false);
    expect(snippetAllowed(['*'], USER_SNIPPET)).toBe(true);
    expect(snippetAllowed(['*', `!${USER_SNIPPET}`], USER_SNIPPET)).toBe(false);
    expect(snippetAllowed([], USER_SNIPPET, true)).toBe(true);
  });
});
