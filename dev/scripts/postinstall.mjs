// Runs after every `npm install`. Three things npm cannot do by itself for this repo:
// 1. link the repo into node_modules as @nocobase/plugin-email-manager, because the NocoBase app
//    finds plugins by package name under NODE_MODULES_PATH;
// 2. unpack the published @nocobase/client type declarations: the package itself can't be
//    installed (it depends on unpublished packages), but its .d.ts files type our client code.
//    They go to node_modules/.types so that nothing at run time can resolve them;
// 3. write tsconfig.paths.json, which @nocobase/utils reads under vitest;
// 4. create the emulators' self-signed TLS certificate (dev/emulators/tls/ensure-cert.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCert } from '../emulators/tls/ensure-cert.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nodeModules = path.join(root, 'node_modules');

// The package entries the app reads. The link is a real folder of per-entry links, not one link
// to the repo: NocoBase's `pm remove` deletes the plugin's folder (after resolving links), which
// must never be the repo itself.
const PACKAGE_ENTRIES = ['package.json', 'dist', 'src', 'server.js', 'client.js'];

export function linkSelf() {
  const dir = path.join(nodeModules, '@nocobase', 'plugin-email-manager');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of PACKAGE_ENTRIES) {
    const link = path.join(dir, entry);
    const target = path.relative(dir, path.join(root, entry));
    if (fs.lstatSync(link, { throwIfNoEntry: false })) {
      if (fs.readlinkSync(link) === target) continue;
      fs.rmSync(link, { force: true });
    }
    fs.symlinkSync(target, link);
  }
}

const CLIENT_TYPES_VERSION = '2.2.16';

function unpackClientTypes() {
  const target = path.join(nodeModules, '.types', '@nocobase', 'client');
  const marker = path.join(target, 'package.json');
  if (fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, 'utf8')).version === CLIENT_TYPES_VERSION) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-client-'));
  try {
    const file = execFileSync('npm', ['pack', `@nocobase/client@${CLIENT_TYPES_VERSION}`, '--silent'], { cwd: tmp })
      .toString()
      .trim()
      .split('\n')
      .pop();
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(tmp, file), '-C', target, '--strip-components=1']);
  } catch (error) {
    // Only the type check needs these; tests and the app run without them.
    console.warn(`[postinstall] could not unpack @nocobase/client types: ${error.message}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function writePathsFile() {
  const file = path.join(root, 'tsconfig.paths.json');
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify({ compilerOptions: { paths: {} } }) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  linkSelf();
  unpackClientTypes();
  writePathsFile();
  try {
    ensureCert();
  } catch (error) {
    // Only the Microsoft emulator needs it; the install itself must not fail for want of openssl.
    console.warn(`[postinstall] could not create the emulator certificate: ${error.message}`);
  }
}
