import type Application from '@nocobase/server';
import { NAMESPACE } from './constants';

/**
 * Registers the plugin's strings with the server's i18n so `ctx.t(text, { ns })` follows the
 * request's X-Locale. The app also finds src/locale/*.json by package name; doing it here as
 * well makes messages correct when the plugin is loaded as a class (tests).
 */
export function registerLocales(app: Application) {
  const bundles: Record<string, Record<string, string>> = {
    'en-US': require('../locale/en-US.json'),
    'zh-CN': require('../locale/zh-CN.json'),
  };
  for (const [lang, strings] of Object.entries(bundles)) {
    app.i18n.addResourceBundle(lang, NAMESPACE, strings, true, true);
  }
}
