import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminOperations } from '../../src/admin/operations.js';
import { operationsTable, withOperationsTable } from '../../src/admin/reference.js';

const ADMIN_DOC = readFileSync(new URL('../../docs/admin.md', import.meta.url), 'utf8');

describe('the operations table of docs/admin.md', () => {
  it('is the one the operation declarations give (run `npm run docs:admin` after changing an operation)', () => {
    expect(withOperationsTable(ADMIN_DOC, adminOperations)).toBe(ADMIN_DOC);
  });

  it('has one row per operation, naming its command, method and path', () => {
    const rows = ADMIN_DOC.split('\n').filter((line) => line.startsWith('| `admin '));
    expect(rows).toHaveLength(adminOperations.length);
    const tokensRevoke = rows.find((row) => row.startsWith('| `admin tokens revoke'));
    expect(tokensRevoke).toContain('`DELETE /admin/v1/clients/{code}/tokens/{id}`');
    expect(tokensRevoke).toContain('--client … --id …');
  });

  it('shows each field with its type, limits and whether it is required', () => {
    const lots = operationsTable(adminOperations.filter((operation) => operation.resource === 'lots' && operation.action === 'create'));
    expect(lots).toContain('body `name` (text 1–200, required)');
    expect(lots).toContain('body `capacity` (integer 0–2147483647): permit capacity');
    const appeal = operationsTable(adminOperations.filter((operation) => operation.action === 'appeal'));
    expect(appeal).toContain('none \\| open \\| granted \\| denied');
  });

  it('goes out of date when an operation changes, and needs its markers', () => {
    const renamed = adminOperations.map((operation) =>
      operation.resource === 'lots' ? { ...operation, summary: `${operation.summary}, renamed` } : operation,
    );
    expect(withOperationsTable(ADMIN_DOC, renamed)).not.toBe(ADMIN_DOC);
    expect(() => withOperationsTable('# no table here\n', adminOperations)).toThrow(/markers/);
  });
});
