import { type AuthenticationResult, ConfidentialClientApplication, Configuration } from '@azure/msal-node';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { microsoftEndpoints, PUBLIC_MICROSOFT_AUTHORITY } from '../endpoints';
import { AuthUrlRequest, Mailbox, MailboxProfile, MailProvider, NoMailboxError, oauthTokens, ProviderClientConfig, ReauthorizeError, SendAsAlias, Tokens } from '../types';
import { mapGraphError, mapMsalError } from './errors';
import { GraphMailboxClient } from './graph-client';
import { OutlookMailbox } from './mailbox';

/** Delegated Graph scopes (S-CONF-8); MSAL adds openid and profile itself. */
export const OUTLOOK_SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];
/** Scopes that are requested but never reported back in the token's scope list. */
const IMPLICIT_SCOPES = new Set(['offline_access', 'openid', 'profile']);

export class OutlookProvider implements MailProvider {
  readonly name = 'outlook' as const;
  calls = 0;

  constructor(private readonly config: ProviderClientConfig) {}

  /** A fresh MSAL client per operation: its token cache is not shared between accounts. */
  private msal() {
    const { authority } = microsoftEndpoints();
    const auth: Configuration['auth'] = {
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      authority: `${authority}/${this.config.tenant || 'common'}`,
    };
    // A national cloud or a local emulator is not in MSAL's list of known Microsoft hosts.
    if (authority !== PUBLIC_MICROSOFT_AUTHORITY) auth.knownAuthorities = [new URL(authority).host];
    return new ConfidentialClientApplication({ auth });
  }

  /**
   * A Graph client whose middleware is the SDK's default minus its RetryHandler: every call
   * already goes through withRetry (limits.ts), which honours Retry-After within the mailbox's
   * limits and knows when a user is waiting. Two retry layers multiplied the waits.
   */
  graph(tokens: Tokens) {
    const { graph, graphHost } = microsoftEndpoints();
    const auth = new AuthenticationHandler({ getAccessToken: async () => tokens.accessToken });
    const redirect = new RedirectHandler(new RedirectHandlerOptions());
    const telemetry = new TelemetryHandler();
    auth.setNext(redirect);
    redirect.setNext(telemetry);
    telemetry.setNext(new HTTPMessageHandler());
    return Client.initWithMiddleware({ baseUrl: graph, customHosts: new Set([graphHost]), middleware: auth });
  }

  async authUrl({ state, codeChallenge, loginHint }: AuthUrlRequest) {
    try {
      return await this.msal().getAuthCodeUrl({
        scopes: OUTLOOK_SCOPES,
        redirectUri: this.config.redirectUri,
        state,
        codeChallenge,
        codeChallengeMethod: 'S256',
        // msal-node drops the login hint when a prompt is set: reauthorizing names the account,
        // connecting lets the user pick one.
        ...(loginHint ? { loginHint } : { prompt: 'select_account' }),
      });
    } catch (error) {
      throw mapMsalError(error, 'authorization URL');
    }
  }

  async exchangeCode(code: string, codeVerifier: string) {
    const msal = this.msal();
    let tokens: Tokens;
    try {
      const result = await msal.acquireTokenByCode({
        code,
        codeVerifier,
        scopes: OUTLOOK_SCOPES,
        redirectUri: this.config.redirectUri,
      });
      tokens = this.toTokens(result, refreshTokenOf(msal), undefined);
    } catch (error) {
      throw mapMsalError(error, 'code exchange');
    }
    return { tokens, profile: await this.profile(tokens) };
  }

  async refresh(tokens: Tokens): Promise<Tokens> {
    const msal = this.msal();
    try {
      // forceCache: this fresh client has no account cached, and without it msal-node does not
      // cache the answer, so the rotated refresh token would be lost (refreshTokenOf → undefined).
      const result = await msal.acquireTokenByRefreshToken({ refreshToken: tokens.refreshToken, scopes: OUTLOOK_SCOPES, forceCache: true });
      if (!result) throw new ReauthorizeError('Microsoft returned no token');
      return this.toTokens(result, refreshTokenOf(msal) || tokens.refreshToken, tokens);
    } catch (error) {
      if (error instanceof ReauthorizeError) throw error;
      throw mapMsalError(error, 'token refresh');
    }
  }

  async profile(tokens: Tokens): Promise<MailboxProfile> {
    const client = this.graph(tokens);
    let me: { mail?: string; userPrincipalName?: string; displayName?: string };
    try {
      me = await client.api('/me').select(['mail', 'userPrincipalName', 'displayName']).get();
    } catch (error) {
      throw mapGraphError(error, 'profile');
    }
    try {
      // Accounts without an Exchange Online / Outlook.com mailbox fail here (S-ERR-1).
      await client.api('/me/mailFolders/inbox').select(['id']).get();
    } catch (caught) {
      const error = caught as { statusCode?: number; code?: string } | null;
      if (error?.statusCode === 404 || error?.code === 'MailboxNotEnabledForRESTAPI') {
        throw new NoMailboxError('This account has no Outlook mailbox');
      }
      throw mapGraphError(error, 'mailbox check');
    }
    const email = (me.mail || me.userPrincipalName || '').toLowerCase();
    if (!email) throw new NoMailboxError('This account has no Outlook mailbox');
    return { email, displayName: me.displayName || undefined };
  }

  /** Outlook has no send-as aliases (S-CONN-8: "There is no setting for outlook"). */
  async listAliases(): Promise<SendAsAlias[]> {
    return [];
  }

  /** A session on one mailbox: a Graph client on these tokens, inside the mailbox's limits. */
  mailbox(mailbox: Mailbox): OutlookMailbox {
    return new OutlookMailbox(new GraphMailboxClient(this.graph(oauthTokens(mailbox.credentials)), mailbox, () => this.calls++));
  }

  /** Microsoft offers no token revocation for delegated grants; tokens are only discarded (S-CONN-6). */
  async revoke() {}

  private toTokens(result: AuthenticationResult, refreshToken: string | undefined, previous: Tokens | undefined): Tokens {
    if (!refreshToken) throw new Error('Microsoft returned no refresh token (is offline_access granted?)');
    return {
      accessToken: result.accessToken,
      refreshToken,
      expiresAt: result.expiresOn ? new Date(result.expiresOn).getTime() : Date.now() + 3_600_000,
      scopes: (result.scopes as string[]).filter((s) => !IMPLICIT_SCOPES.has(s)),
      extra: { homeAccountId: result.account?.homeAccountId || previous?.extra?.homeAccountId || '' },
    };
  }
}

/** MSAL keeps the refresh token in its cache only; this reads it back (server-recipe §6). */
function refreshTokenOf(msal: ConfidentialClientApplication): string | undefined {
  const cache = JSON.parse(msal.getTokenCache().serialize());
  const entry = Object.values(cache.RefreshToken || {})[0] as { secret?: string } | undefined;
  return entry?.secret;
}
