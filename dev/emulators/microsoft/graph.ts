/**
 * Microsoft Graph v1.0, on its own https server so that its base URL is just the origin (the
 * Graph client appends /v1.0/…): /me here, the mailbox in the files registered below. Every
 * mailbox handler goes through `graphCall` (api.ts): authentication, usage counters, throttling.
 */
import type { Router } from '../shared/http';
import { authenticate, sendEntity } from './api';
import { attachmentRoutes } from './attachments';
import { deltaRoute } from './delta';
import { folderRoutes } from './folders';
import { messageRoutes } from './messages';
import { sendRoutes } from './send';
import type { MicrosoftState } from './state';

export { authenticate, sendEntity, sendGraph } from './api';

export function graphRoutes(router: Router, state: MicrosoftState) {
  router.get('/v1.0/me', (ctx) => {
    const user = authenticate(ctx, state);
    if (!user) return;
    state.usage.count(user.email, 'profile', 'me.get', Boolean(ctx.inBatch));
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

  // Delta before messages: /mailFolders/{id}/messages/delta would otherwise match messages/{id}.
  deltaRoute(router, state);
  folderRoutes(router, state);
  messageRoutes(router, state);
  attachmentRoutes(router, state);
  sendRoutes(router, state);
}
