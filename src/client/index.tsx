/** The client plugin's entry: registers the settings page, routes, providers and blocks. */
import { Plugin, useAPIClient } from '@nocobase/client';
import { EmailAccountsMenuItem } from './accounts/EmailAccountsMenuItem';
import { OAuthReturnRoute } from './accounts/OAuthReturnRoute';
import { NAMESPACE } from './locale';
import { ComposeBridgeProvider, registerMailBlocks } from './blocks';
import { ComposeAppProvider } from './compose/ComposeAppProvider';
import { EmbeddedMailCenter, MAIL_CENTER_PATH, MailCenterRoute } from './mail-center/MailCenterRoute';
import { MailShortcutProvider } from './mail-center/MailShortcut';
import { EmailSettingsPage } from './settings/EmailSettingsPage';
import { OAUTH_RETURN_PATH } from '../shared/accounts-api';
import { SETTINGS_SNIPPET, USER_SNIPPET } from '../shared/acl-snippets';
import { SETTINGS_KEY } from '../shared/settings-api';
import { registerRoleTab } from './settings/RoleMailPermissions';
import { registerWorkflowParts } from './workflow';
import type { UseRequester } from './workflow/connect';

/** Client half of Email manager: registers what the user sees; the parts live in their folders. */
export class PluginEmailManagerClient extends Plugin {
  async load() {
    this.app.pluginSettingsManager.add(SETTINGS_KEY, {
      title: this.app.i18n.t('Email settings', { ns: NAMESPACE }),
      icon: 'MailOutlined',
      Component: EmailSettingsPage,
      aclSnippet: SETTINGS_SNIPPET,
    });
    this.app.addUserCenterSettingsItem({
      name: 'emailAccounts',
      sort: 330,
      Component: EmailAccountsMenuItem,
      aclSnippet: USER_SNIPPET,
    } as any);
    // Where Google and Microsoft send the user back (S-CONF-5); the router adds the app's public
    // path. A route of its own, outside the admin layout: members, who cannot open the admin-only
    // settings page, come back here from the provider too.
    this.app.router.add('emailManagerOAuthReturn', { path: OAUTH_RETURN_PATH, Component: OAuthReturnRoute });
    // Inside the admin layout (route 'admin'), as workflow's task center is.
    this.app.router.add('admin.email-manager', { path: MAIL_CENTER_PATH, Component: MailCenterRoute });
    // The top-bar mail icon with the unread badge.
    this.app.addProvider(MailShortcutProvider);
    // The compose windows (S-SEND-1), above every page so a mail being written survives navigation.
    this.app.addProvider(ComposeAppProvider);
    // Lends the editor to page actions (flow handlers are not components); must sit inside ComposeAppProvider.
    this.app.addProvider(ComposeBridgeProvider);
    // The "Email" block in the Add block menus of classic and modern pages and their popups.
    registerMailBlocks(this.app, { MailCenter: EmbeddedMailCenter });
    // Roles & permissions → Email: who may use mail, who may read all users' mail.
    registerRoleTab(this.app);
    // The trigger "Email received" and the node "Send email from mailbox", when Workflow is enabled.
    registerWorkflowParts(this.app, useAPIClient as UseRequester);
  }
}

export default PluginEmailManagerClient;
