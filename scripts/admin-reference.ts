/**
 * Rewrites the generated operations table of docs/admin.md from the admin operation
 * declarations (`npm run docs:admin`); test/core/admin-reference.test.ts fails until it is run
 * after an operation changes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { adminOperations } from '../src/admin/operations.js';
import { withOperationsTable } from '../src/admin/reference.js';

const document = new URL('../docs/admin.md', import.meta.url);
const before = readFileSync(document, 'utf8');
const after = withOperationsTable(before, adminOperations);
writeFileSync(document, after);
process.stdout.write(after === before ? 'docs/admin.md is up to date\n' : 'docs/admin.md: operations table rewritten\n');
