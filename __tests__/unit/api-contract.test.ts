/**
 * The client–server contract of src/shared: each file's action constants are exactly the
 * routes its header lists, and no action is declared by two files. (That the server registers
 * exactly these actions is checked on a running app in server/settings.api.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ROUTES, ROUTE_TABLES } from '../helpers/route-tables';

const SHARED = path.resolve(__dirname, '../../src/shared');

/** The `GET|POST resource:action` lines of the file's opening comment. */
function documentedRoutes(file: string): string[] {
  const text = fs.readFileSync(path.join(SHARED, file), 'utf8');
  const header = text.slice(0, text.indexOf('*/'));
  return [...header.matchAll(/^\s*\*\s+(?:GET|POST)\s+(\w+:\w+)/gm)].map((m) => m[1]).sort();
}

describe('shared route tables', () => {
  it.each(Object.keys(ROUTE_TABLES))('%s: the constants are the routes its header lists', (file) => {
    expect(Object.values(ROUTE_TABLES[file]).sort()).toEqual(documentedRoutes(file));
  });

  it('declares each action once', () => {
    expect(ALL_ROUTES.filter((route, i) => ALL_ROUTES.indexOf(route) !== i)).toEqual([]);
  });

  it('every *-api.ts file of src/shared has its table here', () => {
    const files = fs.readdirSync(SHARED).filter((f) => f.endsWith('-api.ts') && documentedRoutes(f).length);
    expect(files.sort()).toEqual(Object.keys(ROUTE_TABLES).sort());
  });
});
