/**
 * `npm start`: a NocoBase app (SQLite under .app/, or DB_DIALECT=postgres|mariadb) with Email
 * manager enabled, next to the local Google and Microsoft emulators it is configured to use and,
 * where Dovecot and Postfix are installed, a demo IMAP/SMTP mailbox (dev/dev-mail-servers.ts).
 * Prints the URL and the admin login, then runs until Ctrl-C.
 */
import path from 'node:path';
import { ADMIN, freePort, prepareApp, ROOT, startApp } from './app';
import { startDevEmulators } from './dev-emulators';
import { startDemoMailServers } from './dev-mail-servers';

const DEFAULT_PORT = 13000;

async function main() {
  const started = Date.now();
  const dialect = process.env.DB_DIALECT || 'sqlite';
  const dir = path.join(ROOT, '.app', dialect);
  const port = await freePort(Number(process.env.APP_PORT || DEFAULT_PORT));
  const verbose = Boolean(process.env.VERBOSE);
  const log = (line: string) => verbose && console.log(`  ${line}`);

  const emulators = await startDevEmulators();
  const mailServers = await startDemoMailServers(log);
  console.log('Preparing the NocoBase app (the first run installs it, later runs reuse it)…');
  await prepareApp({ dir, port, env: emulators.env, log });
  console.log('Starting NocoBase…');
  const app = await startApp({ dir, port, env: emulators.env, log });
  await emulators.configureApp(app.url, ADMIN, mailServers.settings ?? {});

  console.log(`
  Email manager is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

    URL:       ${app.url}/admin/settings/mail
    Login:     ${ADMIN.email} / ${ADMIN.password}
    Database:  ${dialect}${dialect === 'sqlite' ? ` (${path.relative(ROOT, dir)}/db)` : ''}
${emulators.describe()}
${mailServers.describe()}
  App log: ${path.relative(ROOT, path.join(dir, 'app.log'))}   Stop with Ctrl-C.
`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    await Promise.all([emulators.close(), mailServers.close()]);
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  app.process.on('exit', async (code) => {
    if (stopping) return;
    console.error(`NocoBase exited with ${code}; see the app log.`);
    await Promise.all([emulators.close(), mailServers.close()]);
    process.exit(1);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
