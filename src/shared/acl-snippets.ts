/** The plugin's ACL snippets, one spelling for server (acl.ts, block-scope.ts) and client. */
import { SETTINGS_KEY } from './settings-api';

/** Settings → Email settings and its actions (S-ACL-1); root and admin hold it by default. */
export const SETTINGS_SNIPPET = `pm.${SETTINGS_KEY}`;

/** Every role holds it by default for personal use of the mail features (S-ACL-2). */
export const USER_SNIPPET = 'email-manager';
/**
 * Lets a role read other users' mail in the Email blocks' "All emails" (S-ACL-4). root always
 * passes; admin gets it once, on install or upgrade. A role's general strategy never grants it,
 * and it opens no generic action: it stands for ALL_MAIL_PERMISSION, which is no action.
 */
export const ALL_MAIL_SNIPPET = 'email-manager.all-mail';
export const ALL_MAIL_PERMISSION = 'mailMessages:readOtherUsersMail';

/** The role's list names the snippet, granted or refused (`!name`). */
export const mentions = (snippets: string[], name: string) => snippets.some((s) => s.replace(/^!/, '') === name);
/** The role's list grants the snippet. */
export const holds = (snippets: string[], name: string) => snippets.includes(name);

/** The snippets with `name` granted or taken away (an explicit refusal is dropped with it). */
export function withSnippet(snippets: string[], name: string, on: boolean): string[] {
  const rest = snippets.filter((s) => s.replace(/^!/, '') !== name);
  return on ? [...rest, name] : rest;
}
