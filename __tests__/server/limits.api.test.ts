import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileBlockFilter } from '../../src/server/messages/filter/block-filter';
import { SqlNames } from '../../src/server/messages/sql';
import { UPLOAD_SWEEP_CRON, UploadSweeper } from '../../src/server/send/uploads-sweeper';
import { UPLOAD_TTL_MS, uploadsDir } from '../../src/server/send/uploads';
import { MISSING_APP_KEY_MESSAGE } from '../../src/server/oauth/state';
import {
  BLOCK_MAX_FILTER_CONDITIONS,
  BLOCK_MAX_FILTER_SUBSTRINGS,
  BLOCK_MAX_FILTER_VALUE_LENGTH,
  BLOCK_MAX_FILTER_VALUES,
} from '../../src/shared/block-api';
import { post, upload } from '../helpers/send';
import { blocksWorld, BlocksWorld, directIds, idsOf } from '../helpers/blocks-world';

/**
 * The server's limits, through the API of a real app with the ACL on: the per-user quota of
 * pending uploads and the sweep of expired ones; the size caps of an Email block's Data scope and
 * negated participant tests kept to the caller's accounts; OAuth refused without a real APP_KEY.
 */
describe('limits', () => {
  let w: BlocksWorld;
  const KB = 1024;
  const A = () => w.as.memberA;
  const B = () => w.as.memberB;
  const userId = (who: 'memberA' | 'memberB') => Number(w.as.users[who].get('id'));
  const savedQuota = process.env.EMAIL_MANAGER_UPLOAD_QUOTA_MB;

  const savedStorage = process.env.STORAGE_PATH;

  beforeAll(async () => {
    // Uploads are counted per user id on disk: other test files running alongside have users
    // with the same ids, so this file gets a storage of its own.
    process.env.STORAGE_PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'email-manager-limits-'));
    w = await blocksWorld('limits');
  });
  afterAll(async () => {
    await w?.close();
    fs.rmSync(process.env.STORAGE_PATH!, { recursive: true, force: true });
    process.env.STORAGE_PATH = savedStorage;
  });
  afterEach(() => {
    if (savedQuota === undefined) delete process.env.EMAIL_MANAGER_UPLOAD_QUOTA_MB;
    else process.env.EMAIL_MANAGER_UPLOAD_QUOTA_MB = savedQuota;
  });

  describe('pending uploads', () => {
    it('refuses an upload over the quota with 413, naming the quota and what is in use; other users are not affected', async () => {
      process.env.EMAIL_MANAGER_UPLOAD_QUOTA_MB = '1';
      fs.rmSync(uploadsDir(userId('memberA')), { recursive: true, force: true });
      const first = await upload(A(), 'a.bin', Buffer.alloc(600 * KB, 1), 'application/octet-stream');
      const refused = await upload(A(), 'b.bin', Buffer.alloc(600 * KB, 2), 'application/octet-stream', 413);
      expect(refused.errors[0]).toMatchObject({ field: 'file', quota: 1024 * KB });
      expect(refused.errors[0].used).toBeGreaterThanOrEqual(600 * KB);
      expect(refused.errors[0].message).toMatch(/use 0\.6 MB of your 1 MB upload quota/);
      // The refused file was not kept: what is in use is only the first one (and its description).
      const files = fs.readdirSync(uploadsDir(userId('memberA')));
      expect(files.sort()).toEqual([first.id, `${first.id}.json`].sort());
      // A file larger than what is left is refused before it is read (the request says its length).
      const early = await upload(A(), 'c.bin', Buffer.alloc(900 * KB, 3), 'application/octet-stream', 413);
      expect(early.errors[0].message).toContain('1 MB upload quota');
      // Member B has their own quota.
      await upload(B(), 'b-own.bin', Buffer.alloc(600 * KB, 4), 'application/octet-stream');
      // Dropping the first upload frees its room.
      await post(A(), `mailAttachments:deleteUpload?filterByTk=${first.id}`, {});
      await upload(A(), 'b.bin', Buffer.alloc(600 * KB, 2), 'application/octet-stream');
      // zh-CN gets the message in Chinese, with the same figures.
      const zh = await A().post('/api/mailAttachments:upload').set('X-Locale', 'zh-CN').attach('file', Buffer.alloc(600 * KB), { filename: 'd.bin', contentType: 'application/octet-stream' });
      expect(zh.status).toBe(413);
      expect(zh.body.errors[0].message).toContain('1 MB');
      expect(zh.body.errors[0].message).not.toContain('upload quota');
    });

    it('the sweeper removes every user\'s expired uploads on its schedule and keeps fresh ones', async () => {
      const old = await upload(A(), 'old.txt', Buffer.from('old'), 'text/plain');
      const fresh = await upload(A(), 'fresh.txt', Buffer.from('fresh'), 'text/plain');
      const othersOld = await upload(B(), 'others-old.txt', Buffer.from('old too'), 'text/plain');
      const age = new Date(Date.now() - UPLOAD_TTL_MS - 60_000);
      for (const [who, id] of [['memberA', old.id], ['memberB', othersOld.id]] as const) {
        for (const name of [id, `${id}.json`]) fs.utimesSync(path.join(uploadsDir(userId(who)), name), age, age);
      }
      const sweeper = new UploadSweeper(w.app);
      expect(await sweeper.sweep()).toBe(4);
      const left = [...fs.readdirSync(uploadsDir(userId('memberA'))), ...fs.readdirSync(uploadsDir(userId('memberB')))];
      expect(left).toContain(fresh.id);
      expect(left).not.toContain(old.id);
      expect(left).not.toContain(othersOld.id);
      // A swept upload can no longer be named in a mail.
      const res = await A().post('/api/mailAttachments:deleteUpload').query({ filterByTk: old.id });
      expect(res.status).toBe(200);

      // It runs on the app's cron (hourly), like the scheduled sender.
      const jobs = w.app.cronJobManager.jobs.size;
      sweeper.start();
      expect(w.app.cronJobManager.jobs.size).toBe(jobs + 1);
      expect([...w.app.cronJobManager.jobs].some((job: any) => String(job.cronTime?.source) === UPLOAD_SWEEP_CRON)).toBe(true);
      sweeper.stop();
      expect(w.app.cronJobManager.jobs.size).toBe(jobs);
    });
  });

  describe('Email block Data scope', () => {
    const list = (agent: any, filter: unknown, extra: Record<string, unknown> = {}) =>
      agent.get('/api/mailMessages:blockList').query({ filter: JSON.stringify(filter), pageSize: 200, ...extra });
    const refusal = async (filter: unknown) => {
      const res = await list(A(), filter);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.errors[0];
    };

    it('refuses too many conditions, values, long values and "contains" texts, each with a clear 400', async () => {
      const conditions = Array.from({ length: BLOCK_MAX_FILTER_CONDITIONS + 1 }, (_, i) => ({ subject: { $ne: `s${i}` } }));
      expect(await refusal({ $and: conditions })).toMatchObject({ field: 'filter', message: `The filter has too many conditions (at most ${BLOCK_MAX_FILTER_CONDITIONS})` });
      expect((await list(A(), { $and: conditions.slice(1) })).status).toBe(200);

      const values = Array.from({ length: BLOCK_MAX_FILTER_VALUES + 1 }, (_, i) => `a${i}@x.test`);
      expect(await refusal({ from: { $in: values } })).toMatchObject({ field: 'filter.from', message: `Too many values for from (at most ${BLOCK_MAX_FILTER_VALUES})` });
      // Counted after splitting a pasted list too.
      expect(await refusal({ participants: values.join('; ') })).toMatchObject({ field: 'filter.participants' });
      expect((await list(A(), { from: { $in: values.slice(1) } })).status).toBe(200);

      const long = `${'x'.repeat(BLOCK_MAX_FILTER_VALUE_LENGTH)}@x.test`;
      const tooLong = { message: `A value for to is too long (at most ${BLOCK_MAX_FILTER_VALUE_LENGTH} characters)`, field: 'filter.to' };
      expect(await refusal({ to: long })).toMatchObject(tooLong);
      expect(await refusal({ to: { $in: ['ok@x.test', long] } })).toMatchObject(tooLong);
      expect(await refusal({ subject: { $includes: 'y'.repeat(BLOCK_MAX_FILTER_VALUE_LENGTH + 1) } })).toMatchObject({ field: 'filter.subject' });
      expect(await refusal({ box: { $in: ['z'.repeat(BLOCK_MAX_FILTER_VALUE_LENGTH + 1)] } })).toMatchObject({ field: 'filter.box' });

      const texts = Array.from({ length: BLOCK_MAX_FILTER_SUBSTRINGS + 1 }, (_, i) => `part${i}`);
      const contains = await refusal({ $or: [{ from: { $includes: texts.slice(0, 3) } }, { domain: { $notIncludes: texts.slice(3, 5) } }, { subject: { $includes: texts[5] } }] });
      expect(contains).toMatchObject({ field: 'filter.subject', message: expect.stringContaining(`(at most ${BLOCK_MAX_FILTER_SUBSTRINGS})`) });
      expect((await list(A(), { $or: [{ from: { $includes: texts.slice(0, 3) } }, { domain: { $notIncludes: texts.slice(3, 5) } }] })).status).toBe(200);
    });

    it('a negated participant test reads only the accounts the caller may see, and answers the same', async () => {
      // As SQL: narrowed to the caller's accounts when they are a list, else to the tested mail's own rows.
      const sql = new SqlNames(w.app.db);
      const listed = compileBlockFilter({ from: { $ne: 'buyer@acme.com' } }, { sql, userId: 1, accountIds: [w.annAccount], replacements: {} }).sql;
      expect(listed).toMatch(/NOT IN \(SELECT .* WHERE .*accountId.* IN /i);
      const open = compileBlockFilter({ participants: { $notIncludes: 'acme' } }, { sql, userId: 1, accountIds: null, replacements: {} }).sql;
      expect(open).toMatch(/^NOT EXISTS \(SELECT 1 FROM .* = .*\bm\b/);

      // The same answers as a direct query of the mail's own columns, for the owner and for root (all mail).
      const notFromBuyer = (r: Record<string, string[]>) => !r.from.includes('buyer@acme.com');
      const noAcme = (r: Record<string, string[]>) => !Object.values(r).some((l) => l.some((a) => a.includes('acme')));
      expect(idsOf(await list(A(), { from: { $ne: 'buyer@acme.com' } }))).toEqual(await directIds(w.app, [w.annAccount], notFromBuyer));
      expect(idsOf(await list(A(), { participants: { $notIncludes: 'acme' } }))).toEqual(await directIds(w.app, [w.annAccount], noAcme));
      const all = [w.annAccount, w.benAccount];
      const root = await list(w.as.root, { from: { $ne: 'buyer@acme.com' } }, { scope: 'all' });
      expect(root.body.meta.scope).toBe('all');
      expect(idsOf(root)).toEqual(await directIds(w.app, all, notFromBuyer));
      expect(idsOf(await list(w.as.root, { participants: { $notIncludes: 'acme' } }, { scope: 'all' }))).toEqual(await directIds(w.app, all, noAcme));
      // Member B's "not from" never sees A's mail.
      expect(idsOf(await list(B(), { from: { $ne: 'nobody@x.test' } }))).toEqual(await directIds(w.app, [w.benAccount], () => true));
    });
  });

  describe('OAuth without a real APP_KEY', () => {
    it('refuses to start (and to complete) with a 503 that says what to set, and stores nothing', async () => {
      const saved = process.env.APP_KEY;
      const requests = () => w.app.db.getRepository('mailOAuthRequests').count();
      // A flow started while the key was there cannot be completed once it is gone.
      const started = await A().resource('mailAccounts').authorize({ values: { provider: 'gmail' } });
      expect(started.status).toBe(200);
      const before = await requests();
      try {
        for (const value of [undefined, '', '  ', 'your-secret-key']) {
          if (value === undefined) delete process.env.APP_KEY;
          else process.env.APP_KEY = value;
          const res = await A().resource('mailAccounts').authorize({ values: { provider: 'gmail' } });
          expect(res.status, String(value)).toBe(503);
          expect(res.body.errors[0]).toMatchObject({ field: 'APP_KEY', message: MISSING_APP_KEY_MESSAGE });
          const done = await A().resource('mailAccounts').complete({ values: { state: started.body.data.state, code: 'x' } });
          expect(done.status).toBe(503);
          expect(done.body.errors[0]).toMatchObject({ field: 'APP_KEY' });
        }
        expect(await requests()).toBe(before);
        const zh = await A().post('/api/mailAccounts:authorize').set('X-Locale', 'zh-CN').send({ provider: 'gmail' });
        expect(zh.status).toBe(503);
        expect(zh.body.errors[0].message).toContain('APP_KEY');
        expect(zh.body.errors[0].message).not.toBe(MISSING_APP_KEY_MESSAGE);
      } finally {
        process.env.APP_KEY = saved;
      }
      // With the key back, connecting starts again.
      expect((await A().resource('mailAccounts').authorize({ values: { provider: 'gmail' } })).status).toBe(200);
    });
  });
});
