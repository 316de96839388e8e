import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const locale = (lang: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'src/locale', `${lang}.json`), 'utf8'));

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.tsx?$/.test(f));
}

/** Every literal passed to t(…) or to a UserError, in server and client code. */
function usedKeys() {
  const keys = new Set<string>();
  const patterns = [/\bt\(\s*'((?:[^'\\]|\\.)+)'/g, /\bt\(\s*"((?:[^"\\]|\\.)+)"/g, /new UserError\(\s*'((?:[^'\\]|\\.)+)'/g];
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) keys.add(m[1].replace(/\\'/g, "'"));
  }
  return [...keys];
}

describe('locales', () => {
  const en = locale('en-US');
  const zh = locale('zh-CN');

  it('have the same keys in en-US and zh-CN', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('cover every string the code translates', () => {
    const missing = usedKeys().filter((key) => !(key in en) || !(key in zh));
    expect(missing).toEqual([]);
  });

  it('keep every placeholder in the translation', () => {
    const placeholders = (s: string) => (s.match(/{{\s*\w+\s*}}/g) || []).sort();
    for (const [key, value] of Object.entries(zh)) expect(placeholders(value), key).toEqual(placeholders(key));
  });
});
