// Makes sure Debian's Dovecot (IMAP + LMTP) and Postfix binaries are on this machine, for the
// throw-away mail servers of the IMAP/SMTP tests (index.ts). Plain .mjs so that it also runs as a
// set-up step before tsx / vitest:  node dev/mail-servers/ensure-installed.mjs
//
// - Installed already (the binaries exist): returns at once, prints nothing (CLI: one line).
// - Missing, root and apt-get present: `apt-get install` non-interactively; Postfix's debconf is
//   preseeded to "No configuration" so that the package writes no /etc/postfix/main.cf and sets up
//   no system mail server. Then the distro services that this install brought along are stopped
//   and disabled: the tests run their own instances (own config, ports, queue, sockets) and never
//   use the system ones. A dovecot/postfix that was on the machine before is left alone.
// - Missing and apt-get unusable (not root, no apt, no network): throws an Error that names the
//   packages and the commands to run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PACKAGES = ['dovecot-imapd', 'dovecot-lmtpd', 'postfix'];

/** The files the mail servers run, with the package that ships each. */
const REQUIRED = [
  ['/usr/sbin/dovecot', 'dovecot-core'],
  ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
  ['/usr/lib/dovecot/imap-login', 'dovecot-imapd'],
  ['/usr/lib/dovecot/lmtp', 'dovecot-lmtpd'],
  ['/usr/sbin/postfix', 'postfix'],
  ['/usr/sbin/postmap', 'postfix'],
  ['/usr/lib/postfix/sbin/master', 'postfix'],
  ['/usr/bin/openssl', 'openssl'],
];

const POSTFIX_PRESEED = 'postfix postfix/main_mailer_type select No configuration\n';

function howToInstall(packages) {
  return (
    `Install them as root:\n` +
    `  echo "${POSTFIX_PRESEED.trim()}" | debconf-set-selections\n` +
    `  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}\n` +
    `  systemctl disable --now dovecot postfix   # if the install started them: the tests run their own`
  );
}

/** Packages whose files are missing (empty when all is installed). */
export function missingPackages() {
  const missing = new Set();
  for (const [file, pkg] of REQUIRED) if (!fs.existsSync(file)) missing.add(pkg);
  return [...missing];
}

function run(command, args, options = {}) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', DEBCONF_NONINTERACTIVE_SEEN: 'true' },
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...options,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    const error = new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${tail}`);
    error.output = output;
    throw error;
  }
  return output;
}

const systemdRunning = () => fs.existsSync('/run/systemd/system');

/**
 * Stops and disables the distro's dovecot and postfix services, which `apt-get install` may have
 * started (systemd hosts; a policy-rc.d that exits 101, as in Docker images, keeps them off).
 */
function stopSystemServices() {
  if (systemdRunning()) {
    for (const unit of ['dovecot.socket', 'dovecot.service', 'postfix.service']) {
      const probe = spawnSync('systemctl', ['is-enabled', unit], { encoding: 'utf8' });
      const active = spawnSync('systemctl', ['is-active', unit], { encoding: 'utf8' });
      if (probe.stdout.trim() === 'enabled' || active.stdout.trim() === 'active') {
        console.log(`> systemctl disable --now ${unit}`);
        spawnSync('systemctl', ['disable', '--now', unit], { stdio: 'inherit' });
      }
    }
    return;
  }
  // No systemd: SysV scripts, stopped directly (invoke-rc.d would obey policy-rc.d and refuse).
  const pidFiles = { dovecot: '/run/dovecot/master.pid', postfix: '/var/spool/postfix/pid/master.pid' };
  for (const [service, pidFile] of Object.entries(pidFiles)) {
    if (!fs.existsSync(pidFile) || !fs.existsSync(`/etc/init.d/${service}`)) continue;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 0);
    } catch {
      continue; // stale pid file
    }
    console.log(`> /etc/init.d/${service} stop`);
    spawnSync(`/etc/init.d/${service}`, ['stop'], { stdio: 'inherit' });
    if (fs.existsSync('/usr/sbin/update-rc.d')) spawnSync('update-rc.d', [service, 'disable'], { stdio: 'ignore' });
  }
}

/**
 * Installs what is missing. Returns the packages it installed ([] when nothing was missing).
 * Throws when something is missing and cannot be installed here.
 */
export function ensureMailServersInstalled({ quiet = false } = {}) {
  const missing = missingPackages();
  if (missing.length === 0) return [];
  // dovecot-core comes with dovecot-imapd.
  const wanted = [...new Set(missing.map((p) => (p === 'dovecot-core' ? 'dovecot-imapd' : p)))];
  const what = `The IMAP/SMTP test servers need the Debian packages ${PACKAGES.join(', ')}; missing here: ${wanted.join(', ')}.`;
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`${what} apt-get is not available here.\n${howToInstall(wanted)}`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`${what} Installing them needs root (this process runs as uid ${process.getuid()}).\n${howToInstall(wanted)}`);
  }
  const started = Date.now();
  if (!quiet) console.log(`Installing ${wanted.join(' ')} for the IMAP/SMTP test servers`);
  try {
    execFileSync('debconf-set-selections', { input: POSTFIX_PRESEED, stdio: ['pipe', 'ignore', 'pipe'] });
    const install = ['-y', '-q', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', 'install', ...wanted];
    // A machine whose package lists are empty or stale gets them refreshed once.
    const known = spawnSync('apt-cache', ['show', '--no-all-versions', ...wanted], { stdio: 'ignore' });
    if (known.status !== 0) run('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=300', 'update']);
    try {
      run('apt-get', install);
    } catch (error) {
      if (!/Unable to locate|Failed to fetch|404\s+Not Found/i.test(error.output ?? '')) throw error;
      run('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=300', 'update']);
      run('apt-get', install);
    }
  } catch (error) {
    throw new Error(`${what} apt-get could not install them (no network?).\n${howToInstall(wanted)}\n\n${error.message}`);
  }
  stopSystemServices();
  const still = missingPackages();
  if (still.length) throw new Error(`${what} After apt-get install, still missing: ${still.join(', ')}.`);
  if (!quiet) console.log(`Installed ${wanted.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return wanted;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const installed = ensureMailServersInstalled();
    if (installed.length === 0) console.log(`Mail servers already installed (${PACKAGES.join(', ')})`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
