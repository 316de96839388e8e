import type Application from '@nocobase/server';
import enUS from '../locale/en-US.json';
import zhCN from '../locale/zh-CN.json';
import { NAMESPACE } from './constants';

/**
 * Registers the plugin's strings with the server's i18n so `ctx.t(text, { ns })` follows the
 * request's X-Locale. The app also finds src/locale/*.json by package name; doing it here as
 * well makes messages correct when the plugin is loaded as a class (tests).
 */
export function registerLocales(app: Application) {
  const bundles: Record<string, Record<string, string>> = {
    'en-US': enUS,
    'zh-CN': zhCN,
  };
  for (const [lang, strings] of Object.entries(bundles)) {
    app.i18n.addResourceBundle(lang, NAMESPACE, strings, true, true);
  }
}
