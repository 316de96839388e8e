import { Plugin } from '@nocobase/server';
import { registerAcl } from './acl';
import { registerSecretRedaction } from './actions/redact';
import { SETTINGS_SECRET_FIELDS, settingsActions } from './actions/settings';
import { collections } from './collection-list';
import { registerLocales } from './locale';
import { dropCollections } from './remove';
import { SettingsService } from './settings/settings-service';

/** Server half of Email manager: wires the parts together, holds no logic of its own. */
export class PluginEmailManagerServer extends Plugin {
  settings!: SettingsService;

  async afterAdd() {
    // NocoBase's `pm remove` only deletes the plugin row (no plugin hook runs), so the plugin
    // listens for that row's removal to drop its tables (S-LIFE-4).
    this.db.on('applicationPlugins.afterDestroy', async (model: any, options: any) => {
      if (model.get('name') === this.name || model.get('packageName') === this.options.packageName) {
        await dropCollections(this.db, options?.transaction);
      }
    });
  }

  async load() {
    // Loaded by class (tests) the collections folder is not scanned; by package name it is.
    for (const definition of collections) {
      if (!this.db.getCollection(definition.name)) this.db.collection(definition);
    }
    this.settings = new SettingsService(this.app);
    registerLocales(this.app);

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
