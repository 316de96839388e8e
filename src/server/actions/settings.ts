import { NAMESPACE, OAUTH_RETURN_PATH } from '../constants';
import type { SettingsService } from '../settings/settings-service';
import { unredactedValues } from './redact';
import { respond, translator } from './respond';

/** The redirect URI admins register at Google and Azure: app origin + public path (S-CONF-5). */
export function redirectUriOf(ctx: any) {
  const publicPath = (process.env.APP_PUBLIC_PATH || '/').replace(/\/+$/, '');
  return `${publicOrigin(ctx)}${publicPath}${OAUTH_RETURN_PATH}`;
}

/** The origin the browser used, also behind a reverse proxy that sets X-Forwarded-*. */
function publicOrigin(ctx: any) {
  const first = (value: string) => value.split(',')[0].trim();
  const proto = first(ctx.get('X-Forwarded-Proto') || '') || ctx.protocol || 'http';
  const host = first(ctx.get('X-Forwarded-Host') || '') || ctx.get('Host') || ctx.host;
  return `${proto}://${host}`;
}

/** Request fields that carry secrets, per action; see ./redact.ts. */
export const SETTINGS_SECRET_FIELDS = { 'mailSettings:set': ['googleClientSecret', 'microsoftClientSecret'] };

/**
 * `get` and `set` rather than NocoBase's generic `update`: the settings are one row, and a
 * generic action name would bring generic semantics (filter checks, role strategies).
 */
export function settingsActions(settings: SettingsService) {
  return {
    'mailSettings:read': async (ctx: any, next: () => Promise<void>) => {
      await respond(ctx, () => settings.view(redirectUriOf(ctx)));
      await next();
    },
    'mailSettings:set': async (ctx: any, next: () => Promise<void>) => {
      await respond(ctx, async () => {
        await settings.update(unredactedValues(ctx), translator(ctx, NAMESPACE));
        return settings.view(redirectUriOf(ctx));
      });
      await next();
    },
  };
}
