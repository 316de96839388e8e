import { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginOf } from '../helpers/mail';
import { mailWorld, MailWorld } from '../helpers/world';
import { differences, random, type Random } from '../helpers/property';

/**
 * Property: whatever happens to the mailbox and the network, after a run that nothing disturbs the
 * stored mailbox equals the provider's exactly (ids, flags, labels/folders, thread ids) with no
 * duplicates. Random mailbox, random changes between and *during* runs, random faults throughout;
 * seeded, so a failure replays. SEED=<n> picks another universe.
 */
const SEED = Number(process.env.SEED || 20261125);
const ROUNDS = 6;

interface Universe {
  name: 'gmail' | 'outlook';
  emulator: any;
  email: string;
  /** The provider's mailbox as the stored rows must look. */
  expected(): { id: string; threadId: string; places: string[]; read: boolean; starred: boolean }[];
  /** One random change of one message. */
  mutate(rnd: Random): void;
  expireCursor(): void;
  faultPaths: RegExp[];
}

/** One random change of one message (delete, read, star, `relocate`: labels or folder), or 1–3 new mails. */
function randomChange(emulator: any, email: string, rnd: Random, relocate: (id: string) => void) {
  const all = emulator.mailboxOf(email);
  const target = all.length ? rnd.pick(all as any[]).id : null;
  const kind = target ? rnd.int(5) : 4;
  if (kind === 0) emulator.deleteMessage(email, target);
  else if (kind === 1) emulator.setRead(email, target, rnd.next() < 0.5);
  else if (kind === 2) emulator.setStarred(email, target, rnd.next() < 0.5);
  else if (kind === 3) relocate(target);
  else void emulator.generateMailbox(email, { count: 1 + rnd.int(3), seed: rnd.int(1e9) });
}

function gmailUniverse(emulator: any, email: string): Universe {
  const labels = [['INBOX'], ['INBOX', 'Work'], ['SENT'], ['TRASH'], ['SPAM'], ['Work'], []];
  return {
    name: 'gmail',
    emulator,
    email,
    expected: () =>
      emulator.mailboxOf(email).map((m: any) => ({ id: m.id, threadId: m.threadId, places: [...m.labelIds].sort(), read: m.read, starred: m.starred })),
    mutate: (rnd) => randomChange(emulator, email, rnd, (id) => emulator.setLabels(email, id, rnd.pick(labels))),
    expireCursor: () => emulator.expireHistory(email),
    faultPaths: [/\/batch\//, /\/history/, /\/messages$/, /\/profile/],
  };
}

function outlookUniverse(emulator: any, email: string): Universe {
  const folders = ['inbox', 'sentitems', 'archive', 'deleteditems', 'junkemail', 'Projects'];
  return {
    name: 'outlook',
    emulator,
    email,
    expected: () =>
      emulator.mailboxOf(email).map((m: any) => ({ id: m.immutableId, threadId: m.conversationId, places: [m.folderId], read: m.read, starred: m.starred })),
    mutate: (rnd) => randomChange(emulator, email, rnd, (id) => emulator.moveMessage(email, id, rnd.pick(folders))),
    expireCursor: () => emulator.expireDeltaTokens(email),
    faultPaths: [/\/delta/, /\/mailFolders/, /\$batch/],
  };
}

describe.each(['gmail', 'outlook'] as const)('sync property (%s)', (provider) => {
  let w: MailWorld<'prop'>;
  let app: MockServer;
  let universe: Universe;
  let accountId: number;
  const rnd = random(SEED + (provider === 'gmail' ? 0 : 1));

  const stored = async () => {
    const rows: any[] = await app.db.getCollection('mailMessages').model.findAll({ where: { accountId }, raw: true });
    const json = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
    return rows.map((r) => ({ id: r.providerMessageId, threadId: r.threadId, places: [...(json(r.folderIds) || [])].sort(), read: Boolean(r.read), starred: Boolean(r.starred) }));
  };
  const sync = () => pluginOf(app).scheduler.runLocked(accountId, 'incremental');

  beforeAll(async () => {
    const email = provider === 'gmail' ? 'prop@gmail.test' : 'prop@outlook.test';
    w = await mailWorld({
      seed: `prop-${SEED}`,
      google: provider === 'gmail',
      microsoft: provider === 'outlook',
      users: { [provider === 'gmail' ? 'google' : 'microsoft']: [email] },
      mailboxes: async ({ google, microsoft }) => {
        if (provider === 'gmail') universe = gmailUniverse(google, email);
        else {
          microsoft.createFolder(email, 'Projects');
          universe = outlookUniverse(microsoft, email);
        }
        await universe.emulator.generateMailbox(email, { count: 150 + rnd.int(150), seed: SEED });
      },
      connect: { prop: { provider, email } },
    });
    ({ app, accounts: { prop: accountId } } = w);
  });
  afterAll(() => w?.close());

  it(`converges after ${ROUNDS} rounds of random changes and faults`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = rnd.int(12); i > 0; i--) universe.mutate(rnd);
      if (rnd.next() < 0.25) universe.expireCursor();
      for (let i = 1 + rnd.int(3); i > 0; i--) {
        const path = rnd.pick(universe.faultPaths);
        const kind = rnd.int(3);
        if (kind === 0) universe.emulator.faults.add({ path, status: 429, headers: { 'retry-after': String(rnd.int(2)) }, times: 1 + rnd.int(2) });
        else if (kind === 1) universe.emulator.faults.add({ path, status: 500 + rnd.pick([0, 2, 3]), times: 1 + rnd.int(2) });
        else universe.emulator.faults.add({ path, reset: true, times: 1 });
      }
      // Changes while the run is under way: delayed answers widen the window.
      universe.emulator.faults.add({ path: rnd.pick(universe.faultPaths), delayMs: 150, times: 2 });
      const during = setInterval(() => universe.mutate(rnd), 40);
      const disturbed = await sync();
      clearInterval(during);
      expect(['ok', 'failed'], JSON.stringify(disturbed)).toContain(disturbed?.outcome);

      // A quiet run: no changes, no faults. Now the stores must agree exactly.
      universe.emulator.faults.clear();
      await new Promise((r) => setTimeout(r, 50));
      const quiet = await sync();
      expect(quiet?.outcome, JSON.stringify(quiet)).toBe('ok');
      const mine = await stored();
      expect(new Set(mine.map((m) => m.id)).size, 'duplicates').toBe(mine.length);
      // As one string, so a failure prints each differing mail in full (an array shows as "Array(1)").
      expect(differences(mine, universe.expected()).join('\n'), `round ${round} (SEED=${SEED})`).toBe('');
    }
  });
});

