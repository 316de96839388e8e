/**
 * The shared corpus of real-world and malformed messages (../shared/fixtures/mime, 109 .eml
 * files; not copied into the project). One path for every test; a missing corpus fails the test
 * that needs it with a message, never a test that passes on zero files.
 */
import fs from 'node:fs';
import path from 'node:path';

export const CORPUS_DIR = path.resolve(__dirname, '../../../shared/fixtures/mime');
/** The corpus has 109 messages; fewer than this means a broken checkout of it. */
export const CORPUS_MIN_FILES = 100;

let cached: string[] | undefined;

/** Every .eml of the corpus, sorted, as absolute paths; throws when the corpus is missing. */
export function corpusFiles(): string[] {
  if (cached) return cached;
  const files = fs.existsSync(CORPUS_DIR) ? fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.eml')).sort() : [];
  if (files.length < CORPUS_MIN_FILES) {
    throw new Error(`The MIME corpus is missing or incomplete: ${files.length} .eml files in ${CORPUS_DIR}, expected at least ${CORPUS_MIN_FILES}`);
  }
  return (cached = files.map((f) => path.join(CORPUS_DIR, f)));
}

/** One corpus file by name; throws when it is missing. */
export function corpusFile(name: string): string {
  const file = path.join(CORPUS_DIR, name);
  if (!fs.existsSync(file)) throw new Error(`The MIME corpus has no ${name} (in ${CORPUS_DIR})`);
  return file;
}
