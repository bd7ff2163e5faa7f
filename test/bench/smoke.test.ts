import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, type BenchResult } from '../../bench/run.js';
import { SIZES } from '../../bench/dataset.js';
import { SCENARIOS } from '../../bench/scenarios.js';

// The bench itself is not part of the suite; this smoke run (tiny data, one second per
// scenario, PGlite only) keeps the harness from rotting.
describe('npm run bench, smoke run on PGlite', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-bench-smoke-'));
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('measures the baseline and every scenario and writes the JSON and Markdown tables', async () => {
    const result = await runBench({
      databases: ['pglite'],
      seconds: 1,
      connections: 5,
      postgresUrl: '',
      postgresSize: SIZES.tiny,
      pgliteSize: SIZES.tiny,
      workers: [1],
      outDir,
      measureStartup: false,
      log: () => {},
    });
    expect(result.baseline.rps).toBeGreaterThan(0);
    expect(result.datasets.pglite!.counts.pushed_permits).toBe(SIZES.tiny.permits + SIZES.tiny.genetecZonePermits);
    expect(result.datasets.pglite!.counts.pushed_permits_valid_now).toBeGreaterThan(0);
    expect(result.rows.map((row) => row.endpoint)).toEqual([
      ...SCENARIOS.map((s) => s.name),
      'changes feed (limit 1000): events/s',
      'webhook delivery: change → receiver',
    ]);
    expect(result.datasets.pglite!.counts.change_log).toBeGreaterThanOrEqual(SIZES.tiny.changeEvents);
    for (const row of result.rows) {
      expect(row.status, `${row.endpoint}: ${row.note}`).not.toBe('failed');
      if (row.status === 'route not available') continue;
      if (row.seconds === undefined) {
        expect(row.rps).toBeGreaterThan(0);
        expect(row.p50_ms).toEqual(expect.any(Number));
        expect(row.p99_ms).toBeGreaterThanOrEqual(row.p50_ms!);
        expect(row.ratio).toBeGreaterThan(0);
      }
      expect(row.rss_mb).toBeGreaterThan(0);
      expect(row.event_loop_max_ms).toEqual(expect.any(Number));
    }
    const typesList = result.rows.find((row) => row.endpoint === 'profiles/types/list')!;
    expect(typesList).toMatchObject({ status: 'ok', non2xx_pct: 0 });

    const written = JSON.parse(fs.readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as BenchResult;
    expect(written.rows).toEqual(result.rows);
    const markdown = fs.readFileSync(path.join(outDir, 'latest.md'), 'utf8');
    expect(markdown).toContain('| endpoint | database | workers | req/s |');
    expect(markdown).toMatch(/\| profiles\/types\/list \| pglite \| 1 \| [\d.]+ \|/);
  }, 180_000);
});
