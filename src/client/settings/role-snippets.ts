/** The two ACL snippets of the plugin, as the server names them (src/server/constants.ts). */
export const USER_SNIPPET = 'email-manager';
export const ALL_MAIL_SNIPPET = 'email-manager.all-mail';

/** The role's list names the snippet, granted or refused (`!name`). */
export const mentions = (snippets: string[], name: string) => snippets.some((s) => s.replace(/^!/, '') === name);
/** The role's list grants the snippet. */
export const holds = (snippets: string[], name: string) => snippets.includes(name);

/** The snippets with `name` granted or taken away (an explicit refusal is dropped with it). */
export function withSnippet(snippets: string[], name: string, on: boolean): string[] {
  const rest = snippets.filter((s) => s.replace(/^!/, '') !== name);
  return on ? [...rest, name] : rest;
}
