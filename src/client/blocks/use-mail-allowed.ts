import { useAclSnippets } from '@nocobase/client';
import { MAIL_SNIPPET } from './constants';

/** Whether the current role has personal mail use (S-ACL-2): classic blocks hide themselves without it. */
export function useMailAllowed() {
  return !!useAclSnippets().allow(MAIL_SNIPPET);
}
