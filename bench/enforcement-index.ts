/**
 * `node --expose-gc --import tsx bench/enforcement-index.ts`: the enforcement index at scale
 * (docs/performance.md#the-enforcement-index). Loads INDEX_PERMITS (default 1 000 000) pushed
 * permits valid now, each on its own plate, into a scratch PostgreSQL database (under
 * BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), then in this
 * process: the index's load time, the heap it holds per valid permit (after a full GC, before
 * and after), and the time of one exact and one misread-tolerant lookup, in memory.
 * INDEX_PLATES: `dense` (default; P1, P2, … like the load bench's plates: nearly every
 * one-character variation of a plate is on file too) or `random` (seven random letters and
 * digits: neighbours are rare, as on real streets).
 */
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { EnforcementIndex } from '../src/enforcement/index.js';
import { createClient, createIntegration } from '../src/tenants/service.js';
import { createScratchDatabase } from '../test/helpers/scratch-database.js';

const permits = Number(process.env.INDEX_PERMITS ?? 1_000_000);
const dense = (process.env.INDEX_PLATES ?? 'dense') === 'dense';
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const collect = globalThis.gc;
if (collect === undefined) throw new Error('run with node --expose-gc');

const heapMb = () => {
  collect();
  collect();
  return process.memoryUsage().heapUsed / 1_048_576;
};

const scratch = await createScratchDatabase(serverUrl, 'pc_index_bench');
const database = await openDatabase({ kind: 'postgres', url: scratch.url, statementTimeoutMs: 600_000 });
try {
  await migrate(database.db);
  const client = await createClient(database.db, { code: 'INDEX', name: 'Index bench', timezone: 'America/Toronto' });
  const integration = await createIntegration(database.db, client.id, { name: 'Pay station', origin: 'temp' });
  const inserting = performance.now();
  // All plates distinct; zones from 50 names; valid from an hour ago for one to fourteen days.
  const plate = dense ? sql`'P' || g` : sql`translate(upper(substr(md5(g::text), 1, 7)), 'ABCDEF', 'KXLNWH')`;
  await sql`insert into pushed_permits (client_id, reference_id, integration_id, plate, plate_norm, currency, start_at, end_at, zone_name, permit_no)
    select ${client.id}, gen_random_uuid(), ${integration.id}, ${plate}, ${plate}, 'CAD',
      now() - interval '1 hour', now() + (1 + g % 14) * interval '1 day', 'Lot ' || (1 + g % 50), 'N' || g
    from generate_series(1, ${permits}) g`.execute(database.db);
  const onFile = (await sql<{ plate_norm: string }>`select plate_norm from pushed_permits order by random() limit 20000`.execute(database.db)).rows.map(
    (row) => row.plate_norm,
  );
  await sql`analyze pushed_permits`.execute(database.db);
  process.stdout.write(`inserted ${permits} valid permits in ${((performance.now() - inserting) / 1000).toFixed(1)} s\n`);

  const before = heapMb();
  const index = new EnforcementIndex(database);
  const loading = performance.now();
  await index.start();
  const loadSeconds = (performance.now() - loading) / 1000;
  const after = heapMb();
  const held = index.permitCount();
  const bytesPerPermit = ((after - before) * 1_048_576) / held;
  process.stdout.write(
    `index: ${held} permits loaded in ${loadSeconds.toFixed(1)} s; heap ${before.toFixed(0)} → ${after.toFixed(0)} MB: ${bytesPerPermit.toFixed(0)} bytes per valid permit (${((bytesPerPermit * 1_000_000) / 1_048_576).toFixed(0)} MB per million)\n`,
  );

  const samples = 20_000;
  const plates = Array.from({ length: samples }, (_, i) => onFile[i % onFile.length] ?? '');
  let found = 0;
  // Once to warm up (compilation), then measured.
  for (const plate of plates) found += index.findings(client.id, plate, 'America/Toronto').permits.length;
  found = 0;
  let started = performance.now();
  for (const plate of plates) found += index.findings(client.id, plate, 'America/Toronto').permits.length;
  const exactUs = ((performance.now() - started) * 1000) / samples;
  // Misreads: a digit read as a confusable letter, or the last character dropped.
  const misreads = plates.map((plate, i) =>
    i % 2 === 0 ? plate.replace(/8|0|5|1/, (digit) => ({ '8': 'B', '0': 'O', '5': 'S', '1': 'I' })[digit] ?? digit) : plate.slice(0, -1),
  );
  let candidates = 0;
  for (const plate of misreads) candidates += index.candidates(client.id, plate, 'America/Toronto').length;
  candidates = 0;
  started = performance.now();
  for (const plate of misreads) candidates += index.candidates(client.id, plate, 'America/Toronto').length;
  const fuzzyUs = ((performance.now() - started) * 1000) / samples;
  process.stdout.write(
    `lookup in memory: exact ${exactUs.toFixed(1)} µs (${found} permits found for ${samples} plates); fuzzy ${fuzzyUs.toFixed(1)} µs (${candidates} candidates for ${samples} misreads)\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ plates: dense ? 'dense' : 'random', permits: held, load_s: Number(loadSeconds.toFixed(2)), bytes_per_permit: Math.round(bytesPerPermit), exact_us: Number(exactUs.toFixed(1)), fuzzy_us: Number(fuzzyUs.toFixed(1)) })}\n`,
  );
  await index.close();
} finally {
  await database.close();
  await scratch.drop();
}
