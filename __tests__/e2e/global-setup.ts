import { execSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** The browser tests need Debian's Chromium; install it once when missing (root on CI). */
export default function setup() {
  if (fs.existsSync(CHROMIUM)) return;
  console.log('Installing Chromium (apt-get)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
}
