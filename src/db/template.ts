import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from './database.js';
import { listMigrations, migrate } from './migrate.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Creating a PGlite data directory runs initdb (~4-6 s here); loading a dump of an already
 * migrated one takes ~0.5 s. The dump is keyed by the PGlite version and the exact text of
 * every migration, so a template made before a migration changed is never picked up; and
 * migrations still run after a template is loaded.
 */
export function templateKey(): string {
  const manifest = path.join(PACKAGE_ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const pglite = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(`pglite ${pglite}\n`);
  for (const migration of listMigrations()) hash.update(`${migration.name}\n${migration.sql}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Where the template for the current migrations lives (PGLITE_TEMPLATE_DIR, or node_modules/.cache). */
export function templatePath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.PGLITE_TEMPLATE_DIR?.trim() || path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'parking-controller');
  return path.join(dir, `pglite-template-${templateKey()}.tar.gz`);
}

/** Builds the template for the current migrations unless it exists; returns its path. */
export async function ensureTemplate(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = templatePath(env);
  if (fs.existsSync(file)) return file;
  const database = await openDatabase({ kind: 'pglite' });
  try {
    await migrate(database.db);
    const dump = await database.dump!('gzip');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed, so a concurrent start never reads half a template.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await database.close();
  }
  return file;
}

export async function loadTemplate(env: NodeJS.ProcessEnv = process.env): Promise<Blob> {
  const file = await ensureTemplate(env);
  return new Blob([fs.readFileSync(file)]);
}

/** A PGlite data directory exists once initdb has written its version file. */
export function isNewDataDir(dataDir: string): boolean {
  return !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}
