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

// The operator console (console/): one minified ES module bundle and its stylesheet, named by
// their content hash under dist/console/assets/, and the page that loads them. esbuild is a
// development dependency like typescript: the container image builds in its build stage.
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('build: esbuild is not installed; it is a development dependency: build after `npm ci`\n');
  process.exit(1);
}
const consoleOut = path.join(dist, 'console');
const bundled = await esbuild.build({
  entryPoints: { console: path.join(root, 'console', 'src', 'main.tsx') },
  tsconfig: path.join(root, 'console', 'tsconfig.json'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  outdir: path.join(consoleOut, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(bundled.metafile.outputs);
const entry = outputs.find(([, output]) => output.entryPoint !== undefined);
if (entry === undefined) throw new Error('build: esbuild produced no console bundle');
const assetUrl = (file) => `/assets/${path.basename(file)}`;
const stylesheet = entry[1].cssBundle === undefined ? '' : `\n    <link rel="stylesheet" href="${assetUrl(entry[1].cssBundle)}" />`;
const page = fs
  .readFileSync(path.join(root, 'console', 'index.html'), 'utf8')
  .replace('<!-- assets -->', `<script type="module" src="${assetUrl(entry[0])}"></script>${stylesheet}`);
fs.writeFileSync(path.join(consoleOut, 'index.html'), page);
