import { Plugin } from '@nocobase/client';
import { NAMESPACE } from './locale';
import { EmailSettingsPage } from './settings/EmailSettingsPage';

/** Settings page key and the ACL snippet guarding it (S-ACL-1); the server uses the same names. */
const SETTINGS_KEY = 'mail';

/** Client half of Email manager: registers what the user sees; the parts live in their folders. */
export class PluginEmailManagerClient extends Plugin {
  async load() {
    this.app.pluginSettingsManager.add(SETTINGS_KEY, {
      title: this.app.i18n.t('Email settings', { ns: NAMESPACE }),
      icon: 'MailOutlined',
      Component: EmailSettingsPage,
      aclSnippet: `pm.${SETTINGS_KEY}`,
    });
  }
}

export default PluginEmailManagerClient;
