/**
 * Content ids as written in mail (`cid:` URLs, Content-ID headers) and as stored: one rule for
 * the reader, the editor and the server's lookups.
 */

/** A content id as the server looks it up: no `cid:`, no percent-encoding, no brackets. */
export function cleanCid(cid: string): string {
  let value = cid.trim().replace(/^cid:/i, '').trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // Not percent-encoded after all: keep it as written.
  }
  // Loops, not /^<+|>+$/: a `>+$` regex retries at every `>` of a long run (quadratic).
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === '<') start += 1;
  while (end > start && value[end - 1] === '>') end -= 1;
  return value.slice(start, end).trim();
}

/** `<Part.1@Example.COM>`, `cid:part.1%40example.com` and `part.1@example.com` are one content id. */
export const normalizeCid = (cid: string): string => cleanCid(cid).toLowerCase();
