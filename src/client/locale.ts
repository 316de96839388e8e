import { useTranslation } from 'react-i18next';

/** The app serves src/locale/<lang>.json under the package name; it is our i18n namespace. */
export const NAMESPACE = '@nocobase/plugin-email-manager';

/** `t` for this plugin's strings; the English text is the key. */
export function useT() {
  return useTranslation(NAMESPACE).t as (text: string, options?: Record<string, unknown>) => string;
}
