import type { Auth, gmail_v1 } from 'googleapis';
import { googleEndpoints } from '../endpoints';
import { AuthUrlRequest, Mailbox, MailboxProfile, MailProvider, NoMailboxError, oauthTokens, ProviderClientConfig, SendAsAlias, Tokens } from '../types';
import { mapGoogleError } from './errors';
import { GmailMailbox } from './mailbox';

/** Full mailbox access: read, label, send, delete (S-CONF-6). */
export const GMAIL_SCOPES = ['https://mail.google.com/'];

// googleapis is large; load it the first time Gmail is used, not at app start.
let googleModule: typeof import('googleapis') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const googleapis = () => (googleModule ??= require('googleapis') as typeof import('googleapis'));

export class GmailProvider implements MailProvider {
  readonly name = 'gmail' as const;
  calls = 0;

  constructor(private readonly config: ProviderClientConfig) {}

  private oauthClient(tokens?: Tokens) {
    const endpoints = googleEndpoints();
    const client = new (googleapis().google.auth.OAuth2)({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      redirectUri: this.config.redirectUri,
      endpoints: { oauth2AuthBaseUrl: endpoints.authorize, oauth2TokenUrl: endpoints.token, oauth2RevokeUrl: endpoints.revoke },
    });
    if (tokens) {
      client.setCredentials({
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        expiry_date: tokens.expiresAt,
      });
    }
    return client;
  }

  /** A Gmail API client on the given tokens; no automatic retries, the callers decide. */
  gmail(tokens: Tokens, auth = this.oauthClient(tokens)): gmail_v1.Gmail {
    return googleapis().google.gmail({
      version: 'v1',
      auth,
      rootUrl: googleEndpoints().gmailRoot,
      retry: false,
    });
  }

  async authUrl({ state, codeChallenge, loginHint }: AuthUrlRequest) {
    return this.oauthClient().generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: false,
      scope: GMAIL_SCOPES,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256' as Auth.CodeChallengeMethod,
      ...(loginHint ? { login_hint: loginHint } : {}),
    });
  }

  async exchangeCode(code: string, codeVerifier: string) {
    let tokens: Tokens;
    try {
      const { tokens: t } = await this.oauthClient().getToken({ code, codeVerifier });
      if (!t.access_token || !t.refresh_token) throw new Error('Google returned no refresh token');
      tokens = {
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: t.expiry_date || Date.now() + 3_600_000,
        scopes: (t.scope || GMAIL_SCOPES.join(' ')).split(' ').filter(Boolean),
      };
    } catch (error) {
      throw mapGoogleError(error, 'code exchange');
    }
    return { tokens, profile: await this.profile(tokens) };
  }

  async refresh(tokens: Tokens): Promise<Tokens> {
    try {
      const { credentials } = await this.oauthClient(tokens).refreshAccessToken();
      return {
        ...tokens,
        accessToken: credentials.access_token!,
        // Google keeps the refresh token unless it rotates it.
        refreshToken: credentials.refresh_token || tokens.refreshToken,
        expiresAt: credentials.expiry_date || Date.now() + 3_600_000,
      };
    } catch (error) {
      throw mapGoogleError(error, 'token refresh');
    }
  }

  async profile(tokens: Tokens): Promise<MailboxProfile> {
    const gmail = this.gmail(tokens);
    let email: string;
    try {
      const { data } = await gmail.users.getProfile({ userId: 'me' });
      email = data.emailAddress || '';
    } catch (error) {
      const mapped = mapGoogleError(error, 'profile');
      // A Google account without Gmail answers the profile call with 400 failedPrecondition/404.
      if ([400, 404].includes((mapped as Error & { status: number }).status)) throw new NoMailboxError('This account has no Gmail mailbox');
      throw mapped;
    }
    if (!email) throw new NoMailboxError('This account has no Gmail mailbox');
    const primary = (await this.listAliases(tokens)).find((a) => a.isPrimary);
    return { email: email.toLowerCase(), displayName: primary?.displayName || undefined };
  }

  async listAliases(tokens: Tokens): Promise<SendAsAlias[]> {
    try {
      const { data } = await this.gmail(tokens).users.settings.sendAs.list({ userId: 'me' });
      return (data.sendAs || [])
        // Only addresses Gmail will actually send as (S-CONN-8).
        .filter((s) => s.isPrimary || s.verificationStatus === 'accepted')
        .map((s) => ({
          email: (s.sendAsEmail || '').toLowerCase(),
          displayName: s.displayName || undefined,
          isPrimary: Boolean(s.isPrimary),
          replyTo: s.replyToAddress || undefined,
        }));
    } catch (error) {
      throw mapGoogleError(error, 'aliases');
    }
  }

  /** A session on one mailbox: its own client on these tokens, inside the mailbox's quota. */
  mailbox(mailbox: Mailbox): GmailMailbox {
    const auth = this.oauthClient(oauthTokens(mailbox.credentials));
    return new GmailMailbox(
      {
        // One OAuth client for the REST calls and the batch endpoint.
        api: this.gmail(oauthTokens(mailbox.credentials), auth),
        request: (options) => auth.request(options),
        batchUrl: googleEndpoints().gmailBatch,
        countCall: () => this.calls++,
      },
      mailbox,
    );
  }

  async revoke(tokens: Tokens) {
    try {
      await this.oauthClient().revokeToken(tokens.refreshToken);
    } catch (error) {
      throw mapGoogleError(error, 'revoke');
    }
  }
}
