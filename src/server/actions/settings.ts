/** The settings actions of src/shared/settings-api.ts, and the OAuth redirect URI they show. */
import type { Context } from '@nocobase/actions';
import { OAUTH_RETURN_PATH } from '../../shared/accounts-api';
import { SETTINGS_ACTIONS, type SettingsView } from '../../shared/settings-api';
import { NAMESPACE } from '../constants';
import type { SettingsService } from '../settings/settings-service';
import { unredactedValues } from './redact';
import { action, translator } from './respond';

/** The redirect URI admins register at Google and Azure: app origin + public path (S-CONF-5). */
export function redirectUriOf(ctx: Context) {
  const publicPath = (process.env.APP_PUBLIC_PATH || '/').replace(/\/+$/, '');
  return `${publicOrigin(ctx)}${publicPath}${OAUTH_RETURN_PATH}`;
}

/** The origin the browser used, also behind a reverse proxy that sets X-Forwarded-*. */
function publicOrigin(ctx: Context) {
  const first = (value: string) => value.split(',')[0].trim();
  const proto = first(ctx.get('X-Forwarded-Proto') || '') || ctx.protocol || 'http';
  const host = first(ctx.get('X-Forwarded-Host') || '') || ctx.get('Host') || ctx.host;
  return `${proto}://${host}`;
}

/** Request fields that carry secrets, per action; see ./redact.ts. */
export const SETTINGS_SECRET_FIELDS = { [SETTINGS_ACTIONS.set]: ['googleClientSecret', 'microsoftClientSecret'] };

/**
 * `read` and `set` rather than NocoBase's generic `update`: the settings are one row, and a
 * generic action name would bring generic semantics (filter checks, role strategies).
 */
export function settingsActions(settings: SettingsService) {
  return {
    [SETTINGS_ACTIONS.read]: action((ctx): Promise<SettingsView> => settings.view(redirectUriOf(ctx))),
    [SETTINGS_ACTIONS.set]: action(async (ctx): Promise<SettingsView> => {
      await settings.update(unredactedValues(ctx), translator(ctx, NAMESPACE));
      return settings.view(redirectUriOf(ctx));
    }),
  };
}
