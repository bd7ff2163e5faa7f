import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisePlate } from '../../src/core/plates.js';
import { EnforcementIndex, HORIZON_MS } from '../../src/enforcement/index.js';
import { findPlate } from '../../src/plates/repository.js';
import { DATABASES, startTestApp, type TestApp } from '../helpers/app.js';
import { PLATES, historyTenant, stepArbitrary, writeStep, type Written } from './history.js';

const MINUTE = 60_000;

/**
 * The index against the SQL reference (src/plates/repository.ts findPlate, as of the same
 * instant) after random histories, at random instants and at every start and end the history
 * named (and a millisecond either side), over 40 hours: past the 24-hour horizon, so the
 * refill is exercised too. Two indexes per history: one that followed it event by event from
 * before it began, and one loaded after it.
 */
describe.each(DATABASES)('the enforcement index answers as the SQL does, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('for random histories of permits, DNTT entries, vehicles, drivers and alarms', async () => {
    // The histories must reach every part of the answer, or the comparison proves little.
    const seen = { permits: 0, dntt: 0, alarm: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 14 }),
        fc.array(fc.integer({ min: 0, max: 40 * 60 * MINUTE }), { minLength: 3, maxLength: 8 }),
        fc.constantFrom('America/Toronto', 'Asia/Kolkata', 'UTC'),
        async (steps, randomOffsets, timezone) => {
          const tenant = await historyTenant(t, timezone);
          const base = Math.ceil(Date.now() / 1000) * 1000 + MINUTE;
          let clock = base;
          const following = new EnforcementIndex(t.database, { clock: () => clock, serveValidation: false });
          await following.start();
          let loaded: EnforcementIndex | undefined;
          try {
            const written: Written = { users: [], vehicles: [], permits: [], dntt: [], instants: [] };
            for (const step of steps) await writeStep(t, tenant, base, step, written);
            loaded = new EnforcementIndex(t.database, { clock: () => clock, serveValidation: false });
            await loaded.start();
            const instants = [
              ...new Set([
                base,
                ...randomOffsets.map((ms) => base + ms),
                ...written.instants.flatMap((ms) => [ms - 1, ms, ms + 1]),
                base + HORIZON_MS + MINUTE,
              ]),
            ]
              .filter((ms) => ms >= base)
              .sort((a, b) => a - b);
            for (const instant of instants) {
              clock = instant;
              await following.current();
              await loaded.current();
              for (const plate of new Set(PLATES.map(normalisePlate))) {
                const expected = await findPlate(t.database.db, tenant.clientId, plate, timezone, new Date(instant));
                if (expected.permits.length > 0) seen.permits++;
                if (expected.dntt.length > 0) seen.dntt++;
                if (expected.alarm !== null) seen.alarm++;
                const context = `${plate} at ${new Date(instant).toISOString()} (base ${new Date(base).toISOString()})`;
                expect(following.findings(tenant.clientId, plate, timezone), `followed: ${context}`).toStrictEqual(expected);
                expect(loaded.findings(tenant.clientId, plate, timezone), `loaded: ${context}`).toStrictEqual(expected);
              }
            }
          } finally {
            await following.close();
            await loaded?.close();
          }
        },
      ),
      { numRuns: 15 },
    );
    expect(seen.permits).toBeGreaterThan(0);
    expect(seen.dntt).toBeGreaterThan(0);
    expect(seen.alarm).toBeGreaterThan(0);
  }, 600_000);
});
