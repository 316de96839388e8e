/**
 * Microsoft Graph v1.0, on its own https server so that its base URL is just the origin (the
 * Graph client appends /v1.0/…). For now what connecting an account reads: /me and a mail
 * folder. `authenticate` is the gate every later Graph handler goes through (bearer token →
 * user → mailbox), with Graph's answers for each way it can fail.
 */
import crypto from 'node:crypto';
import type { EmulatedUser } from '../shared/directory';
import { bearerOf, Router, sendJson, type Context } from '../shared/http';
import { correlationOf, sendGraphError } from './errors';
import type { MicrosoftState, OutlookMailbox } from './state';

/** Delegated scopes that allow reading mail folders. */
const MAIL_SCOPE = /^(https:\/\/graph\.microsoft\.com\/)?mail\.(read|readwrite|readbasic)(\.shared)?$/i;

export function graphRoutes(router: Router, state: MicrosoftState) {
  router.get('/v1.0/me', (ctx) => {
    const user = authenticate(ctx, state);
    if (!user) return;
    const surname = user.displayName.split(' ').slice(1).join(' ') || null;
    const entity = {
      businessPhones: [],
      displayName: user.displayName,
      givenName: user.displayName.split(' ')[0] || null,
      jobTitle: null,
      mail: user.email,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
      surname,
      userPrincipalName: user.email,
      id: user.id,
    };
    sendEntity(ctx, state, 'users', entity);
  });

  router.get('/v1.0/me/mailFolders/:folder', (ctx) => {
    const user = authenticate(ctx, state, { mail: true });
    if (!user?.mailbox) return;
    const mailbox = user.mailbox;
    const key = ctx.params.folder.toLowerCase();
    const folder = mailbox.folders.find((f) => f.wellKnownName === key || f.id.toLowerCase() === key);
    if (!folder) return sendGraphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    sendEntity(ctx, state, `users('${user.id}')/mailFolders`, {
      id: folder.id,
      displayName: folder.displayName,
      parentFolderId: folder.parentFolderId,
      childFolderCount: 0,
      unreadItemCount: 0,
      totalItemCount: 0,
      sizeInBytes: 0,
      isHidden: false,
    });
  });
}

/**
 * The user a Graph request acts for, or undefined after answering the error: 401
 * InvalidAuthenticationToken for a missing, unknown or expired token; with `mail`, 403 without a
 * Mail scope and 404 MailboxNotEnabledForRESTAPI for an account without an Exchange mailbox.
 */
export function authenticate(ctx: Context, state: MicrosoftState, needs: { mail?: boolean } = {}): EmulatedUser<OutlookMailbox> | undefined {
  const checked = state.grants.checkAccessToken(bearerOf(ctx));
  if ('problem' in checked) {
    const message = {
      missing: 'Access token is empty.',
      unknown: 'CompactToken parsing failed with error code: 80049217',
      expired: 'Lifetime validation failed, the token is expired.',
      revoked: 'Access token has been revoked.',
    }[checked.problem];
    sendGraphError(ctx, 401, 'InvalidAuthenticationToken', message, {
      'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
    return undefined;
  }
  const { grant } = checked.access;
  const user = state.directory.user(grant.email);
  if (!user) {
    sendGraphError(ctx, 401, 'InvalidAuthenticationToken', 'The user account does not exist.');
    return undefined;
  }
  ctx.entry.user = user.email;
  if (needs.mail) {
    if (!grant.scopes.some((s) => MAIL_SCOPE.test(s))) {
      sendGraphError(ctx, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return undefined;
    }
    if (!user.mailbox) {
      sendGraphError(ctx, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
      return undefined;
    }
  }
  return user;
}

/** An entity with its @odata.context, reduced to the `$select`ed properties when there is a $select. */
export function sendEntity(ctx: Context, state: MicrosoftState, entitySet: string, entity: Record<string, unknown>) {
  const select = (ctx.query.get('$select') || '').split(',').map((s) => s.trim()).filter(Boolean);
  const lower = new Map(Object.keys(entity).map((k) => [k.toLowerCase(), k]));
  const chosen = select.map((s) => lower.get(s.toLowerCase())).filter((k): k is string => Boolean(k));
  const body: Record<string, unknown> = {
    '@odata.context': `${state.graphUrl}/v1.0/$metadata#${entitySet}${chosen.length ? `(${chosen.join(',')})` : ''}/$entity`,
  };
  for (const key of chosen.length ? chosen : Object.keys(entity)) body[key] = entity[key];
  sendGraph(ctx, 200, body);
}

export function sendGraph(ctx: Context, status: number, body: unknown) {
  sendJson(ctx.res, status, body, {
    'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'request-id': crypto.randomUUID(),
    'client-request-id': correlationOf(ctx) || crypto.randomUUID(),
    'odata-version': '4.0',
  });
}
