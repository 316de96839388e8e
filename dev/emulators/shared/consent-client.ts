/**
 * What a browser does on the consent page, over plain HTTP: GET the authorize URL, read the form,
 * choose the account, press Allow or Cancel (POST), and hand back the redirect it answers with.
 * The requests go through the emulator like any other and appear in its request log (user agent
 * "emulator-consent").
 */
import http from 'node:http';
import https from 'node:https';

export interface ConsentChoice {
  email: string;
  decision: 'allow' | 'deny';
}

interface Answer {
  status: number;
  location?: string;
  text: string;
}

/** Returns the Location the decision redirects to (the app's redirect URI with code or error). */
export async function submitConsent(authUrl: string, choice: ConsentChoice, ca?: Buffer): Promise<string> {
  const page = await request('GET', authUrl, undefined, ca);
  if (page.status !== 200) throw new Error(`Consent page answered ${page.status}: ${errorText(page.text)}`);
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"/i.exec(page.text);
  if (!form) throw new Error('No consent form on the authorize page');
  const fields = new URLSearchParams();
  for (const input of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(unescape(input[1]), unescape(input[2]));
  }
  const email = choice.email.toLowerCase();
  const listed = new RegExp(`<option value="${escapeRegExp(email)}"`).test(page.text);
  // Pick from the chooser when the account is listed, otherwise type it, as a person would.
  fields.set('account', listed ? email : '');
  fields.set('account_other', listed ? '' : email);
  fields.set('decision', choice.decision);
  const action = new URL(unescape(form[1]), authUrl).toString();
  const answer = await request('POST', action, fields.toString(), ca);
  if (answer.status !== 302 || !answer.location) {
    throw new Error(`Consent decision answered ${answer.status}: ${errorText(answer.text)}`);
  }
  return new URL(answer.location, action).toString();
}

function request(method: string, url: string, body: string | undefined, ca: Buffer | undefined): Promise<Answer> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const headers: http.OutgoingHttpHeaders = { 'user-agent': 'emulator-consent', accept: 'text/html' };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    // The emulator's own certificate is passed explicitly, so this works even in a process that
    // started without NODE_EXTRA_CA_CERTS.
    const req = transport.request(target, { method, headers, ...(ca ? { ca } : {}), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode || 0, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The error heading and details of an error page, as one line. */
function errorText(html: string) {
  const parts = [...html.matchAll(/<(?:h2|p) (?:id="error"|class="detail")>([^<]*)</g)].map((m) => unescape(m[1]));
  return parts.join(' ') || html.slice(0, 200);
}

function unescape(text: string) {
  return text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
