// First step of `npm start`, `npm test` and `npm run bench` on any machine: installs the
// dependencies when node_modules is missing or older than package.json / package-lock.json, and
// builds the plugin when its sources are newer than dist/. Does nothing when all is current.
import { execSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCert } from '../emulators/tls/ensure-cert.mjs';
import { linkSelf } from './postinstall.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stampFile = path.join(root, 'node_modules', '.email-manager-install-stamp');

function installStamp() {
  const hash = crypto.createHash('sha1');
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
    const full = path.join(root, file);
    if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

function run(command) {
  console.log(`> ${command}`);
  execSync(command, { cwd: root, stdio: 'inherit' });
}

function ensureDependencies() {
  const stamp = installStamp();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  const hasLock = fs.existsSync(path.join(root, 'package-lock.json'));
  run(hasLock && !fs.existsSync(path.join(root, 'node_modules')) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
  fs.writeFileSync(stampFile, installStamp());
}

function newestMtime(entries) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  entries.forEach((e) => visit(path.join(root, e)));
  return newest;
}

function ensureBuilt() {
  const serverOut = path.join(root, 'dist/server/index.js');
  const clientOut = path.join(root, 'dist/client/index.js');
  const built = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
  if (newestMtime(['src/server', 'src/locale', 'tsconfig.server.json']) > built(serverOut)) run('npm run build:server --silent');
  if (newestMtime(['src/client', 'src/locale', 'vite.client.config.mts']) > built(clientOut)) run('npm run build:client --silent');
}

ensureDependencies();
// A checkout that shares an installed node_modules (a second worktree, a copied folder) never ran
// the postinstall step: its generated files are missing.
if (!fs.existsSync(path.join(root, 'tsconfig.paths.json'))) run('node dev/scripts/postinstall.mjs');
// `npm install <pkg>` prunes what npm did not put there, our self-link among them.
linkSelf();
ensureBuilt();
// Before any test or app process starts: NODE_EXTRA_CA_CERTS is only read at process start.
try {
  ensureCert();
} catch (error) {
  console.warn(`Could not create the emulator certificate (is openssl installed?): ${error.message}`);
}
