#!/usr/bin/env node
// Runs the compiled build in dist/ (`npm run build`; `npm install` and `npm ci` build it).
import fs from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!fs.existsSync(main)) {
  process.stderr.write('error: parking-controller is not built: run `npm run build` (npm install and npm ci build it)\n');
  process.exit(1);
}
await import(main.href);
