/**
 * The sign-in + consent page both identity emulators show, and error pages in the same frame.
 * One <form method=post> with an account chooser and Allow / Cancel buttons whose ids and names
 * are stable, so a browser test can click them and `consent()` can submit them over HTTP.
 *   select#account[name=account]          the emulator's users (login_hint preselected)
 *   input#account-other[name=account_other] any other address (wins when filled)
 *   button#allow[name=decision][value=allow], button#cancel[name=decision][value=deny]
 *   input[type=hidden][name=request]      the pending authorization request
 */
export interface ConsentPage {
  /** Tab title and heading, e.g. "Sign in with Google". */
  title: string;
  /** One line under the heading, e.g. "Email manager wants to access your Google Account". */
  prompt: string;
  /** What the app will be allowed to do, one item per scope. */
  permissions: string[];
  accounts: { email: string; displayName: string }[];
  /** The address to preselect (login_hint); typed into the free field when it is not a known account. */
  selected?: string;
  action: string;
  requestId: string;
}

export function renderConsentPage(page: ConsentPage): string {
  const selected = page.selected?.toLowerCase();
  const known = page.accounts.some((a) => a.email === selected);
  const options = page.accounts
    .map((a) => `<option value="${esc(a.email)}"${a.email === selected ? ' selected' : ''}>${esc(a.displayName)} &lt;${esc(a.email)}&gt;</option>`)
    .join('\n        ');
  const body = `<p class="prompt">${esc(page.prompt)}</p>
    <form method="post" action="${esc(page.action)}">
      <input type="hidden" name="request" value="${esc(page.requestId)}">
      <label for="account">Choose an account</label>
      <select id="account" name="account">
        ${options}
      </select>
      <label for="account-other">or use another account</label>
      <input id="account-other" name="account_other" type="email" value="${known ? '' : esc(page.selected || '')}" placeholder="name@example.com">
      <p>This will allow the app to:</p>
      <ul>${page.permissions.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
      <div class="buttons">
        <button id="cancel" type="submit" name="decision" value="deny">Cancel</button>
        <button id="allow" type="submit" name="decision" value="allow">Allow</button>
      </div>
    </form>`;
  return frame(page.title, body);
}

/** An error page like the providers' own: a status line ("Error 400: redirect_uri_mismatch") and details. */
export function renderErrorPage(title: string, heading: string, details: string[]): string {
  return frame(title, `<h2 id="error">${esc(heading)}</h2>\n    ${details.map((d) => `<p class="detail">${esc(d)}</p>`).join('\n    ')}`);
}

function frame(title: string, body: string) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${esc(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; color: #202124; }
    label, select, input { display: block; width: 100%; margin: .4rem 0; }
    .buttons { display: flex; justify-content: flex-end; gap: .5rem; margin-top: 1rem; }
    #allow { background: #1a73e8; color: #fff; border: 0; padding: .5rem 1.2rem; }
    #error { color: #d93025; }
  </style>
</head>
<body>
  <main>
    <h1>${esc(title)}</h1>
    ${body}
  </main>
</body>
</html>
`;
}

export function esc(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
