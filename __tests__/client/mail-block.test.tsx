/** The "Email" block's content and who may see it (the personal-use snippet). */
import { cleanup, render, screen } from '@testing-library/react';
import i18next from 'i18next';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { EMAIL_TITLE } from '../../src/client/blocks/constants';
import { MailBlockView } from '../../src/client/blocks/MailBlockView';
import { snippetAllowed } from '../../src/client/blocks/snippets';
import { USER_SNIPPET } from '../../src/shared/acl-snippets';
import { NAMESPACE } from '../../src/client/locale';
import enUS from '../../src/locale/en-US.json';
import zhCN from '../../src/locale/zh-CN.json';

/**
 * A schema title as the user sees it: NocoBase compiles a title that is one `{{…}}` expression
 * the way Formily's Schema.compile does, evaluating it with the app's i18next `t` in scope (the
 * flow engine resolves `{{t(…)}}` labels the same way). Here: a fresh i18next with the plugin's
 * two locales loaded under its namespace, and the separators the app turns off.
 */
async function shownTitle(title: string, lng: 'en-US' | 'zh-CN') {
  const match = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(title);
  if (!match) return title;
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { 'en-US': { [NAMESPACE]: enUS }, 'zh-CN': { [NAMESPACE]: zhCN } },
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
  return new Function('$root', `with ($root) { return (${match[1]}); }`)({ t: i18n.t.bind(i18n) });
}

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

  it('titles the block "Email", translated from the plugin namespace in each locale', async () => {
    expect(await shownTitle(EMAIL_TITLE, 'en-US')).toBe('Email');
    expect(await shownTitle(EMAIL_TITLE, 'zh-CN')).toBe(zhCN.Email);
    expect(zhCN.Email).not.toBe('Email');
    // The namespace is what finds the translation: the same key outside it stays English.
    expect(await shownTitle('{{t("Email")}}', 'zh-CN')).toBe('Email');
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
