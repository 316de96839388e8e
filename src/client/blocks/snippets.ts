/**
 * NocoBase's snippet match: a role's snippets are gitignore-style patterns ("ui.*", "pm.*",
 * "!email-manager"), later ones win; allowAll (root) passes everything.
 */
export function snippetAllowed(snippets: string[], snippet: string, allowAll = false) {
  if (allowAll) return true;
  let allowed = false;
  for (const raw of snippets) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (matches(pattern, snippet)) allowed = !negated;
  }
  return allowed;
}

function matches(pattern: string, name: string) {
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
  return re.test(name);
}

function escape(text: string) {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
