/** Whether the current role may use mail at all (S-ACL-2), for classic pages' blocks. */
import { useAclSnippets } from '@nocobase/client';
import { USER_SNIPPET } from '../../shared/acl-snippets';

/** Whether the current role has personal mail use (S-ACL-2): classic blocks hide themselves without it. */
export function useMailAllowed() {
  return !!useAclSnippets().allow(USER_SNIPPET);
}
