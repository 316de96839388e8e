import { Plugin } from '@nocobase/server';
import { registerAcl } from './acl';
import { registerSecretRedaction } from './actions/redact';
import { SETTINGS_SECRET_FIELDS, settingsActions } from './actions/settings';
import { collections } from './collection-list';
import { registerLocales } from './locale';
import { dropTablesOnRemove } from './remove';
import { SettingsService } from './settings/settings-service';

/** Server half of Email manager: wires the parts together, holds no logic of its own. */
export class PluginEmailManagerServer extends Plugin {
  settings!: SettingsService;

  async load() {
    // Loaded by class (tests) the collections folder is not scanned; by package name it is.
    for (const definition of collections) {
      if (!this.db.getCollection(definition.name)) this.db.collection(definition);
    }
    this.settings = new SettingsService(this.app);
    registerLocales(this.app);
    dropTablesOnRemove(this.app, this.name);

    const settings = settingsActions(this.settings);
    this.app.resourceManager.registerActionHandlers(settings);
    registerAcl(this.app, { settings: Object.keys(settings), all: Object.keys(settings) });
    registerSecretRedaction(this.app, SETTINGS_SECRET_FIELDS);
  }

  async install() {
    await this.settings.row();
  }
}

export default PluginEmailManagerServer;
