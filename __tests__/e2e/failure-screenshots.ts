import fs from 'node:fs';
import path from 'node:path';
import { beforeEach } from 'vitest';
import { ARTIFACTS, openPages } from './harness';

/** A failed browser test leaves a picture of what the page showed: artifacts/failed-<test>.png. */
beforeEach((context) => {
  context.onTestFailed(async () => {
    const name = `failed-${context.task.name}`.replace(/[^\w.-]+/g, '-').slice(0, 120);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    let n = 0;
    for (const page of openPages) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}${n++ ? `-${n}` : ''}.png`) }).catch(() => undefined);
    }
  });
});
