// `npm run build` (also run by `npm install` and `npm ci` through `prepare`): compiles src/ to
// dist/ with tsconfig.build.json, and copies the SQL migrations, which src/db/migrate.ts reads
// from the directory next to its own module.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('build: typescript is not installed; it is a development dependency: build after `npm ci`, then omit dev dependencies\n');
  process.exit(1);
}

// Emptied first, so a module removed from src/ does not live on in dist/.
fs.rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
fs.cpSync(path.join(root, 'src', 'db', 'migrations'), path.join(dist, 'db', 'migrations'), { recursive: true });
