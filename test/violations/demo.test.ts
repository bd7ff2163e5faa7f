import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo } from '../../src/demo/index.js';
import { DATABASES, startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DATABASES)('the enforcement demo data on %s', (kind) => {
  let t: TestApp;
  let token: string;
  let nextYear: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    token = (await ensureDemo(t.database.db)).token;
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', year: 'numeric' }).format(new Date()));
    nextYear = year + 1;
  });
  afterAll(() => t.close());

  const validate = async (plate: string) => (await t.post('/api/v1/validate/plate', { api_token: token, client: 'OC-TOMA', plate })).body;

  it('reproduces every plate-validation sample of the seed at once', async () => {
    const expires = `${nextYear}-12-31 23:59:59`;
    const hertz = 'Hertz truck has permission to park overnight in lot 6. Rental for We-Move-It Services';
    expect(await validate('ZZZ999')).toStrictEqual({ error: 0, data: { response: '', plate: 'ZZZ999', responseJSON: {} }, message: '' });
    expect((await validate('ABC123')).data.response).toBe(
      `standard: BIKE\n Expires: ${expires}\nstandard: MOTO-S\n Expires: ${expires}\n\nALARM: Wanted to talk with.\n\nDNTT: Main Campus\n2024-11-15 00:00:00-${nextYear}-12-31 23:59:00 \nCLEAR FOR ANY PAY AREA\n\n`,
    );
    expect((await validate('ABC890')).data.response).toBe(`standard: LOT3\n Expires: ${expires}\nstandard: MOTO-S\n Expires: ${expires}\n\n`);
    expect(await validate('ABC456')).toStrictEqual({
      error: 0,
      data: {
        response: 'ALARM: 15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***\n\n',
        plate: 'ABC456',
        responseJSON: { alarm: '15-AS123 Lex Luthor (08 JUL 84) wanted by OPS.\r\n\r\n*** Violence / Weapons ***' },
      },
      message: '',
    });
    expect((await validate('DEF123')).data).toStrictEqual({
      response: `DNTT: Lot 6\n2024-10-23 00:00:00-${nextYear}-12-31 23:59:00 \n${hertz}\n\n`,
      plate: 'DEF123',
      responseJSON: { dntt: [{ notes: hertz, start: '2024-10-23 00:00:00', location: 'Lot 6', end: `${nextYear}-12-31 23:59:00` }], active: '1' },
    });
  });

  it("sends the seed's sample violation to collections once", async () => {
    const first = await t.post('/api/OC_TOMA/v1/violations/send_overdue_to_collections', { apiToken: token });
    expect(first.body.records).toHaveLength(1);
    expect(first.body.records[0]).toMatchObject({
      Ticket: '1-100013',
      Issued: '2016-05-03T20:00:00.000000Z',
      Due: '2016-05-23T20:00:00.000000Z',
      Fine: 50,
      vehicle: {
        Plate: 'AJNR123',
        Year: 2006,
        drivers: [{ firstName: 'stephen_14Oct_1114', username: 'stephen_14Oct_1114', email: 'stephen_14Oct_1114@test', city: 'Ottawa' }],
        make: { MakeID: 13, MakeName: 'Chevrolet' },
        colour: { ColourID: 14, ColourName: 'Red' },
        vehicle_type: { TypeID: 5, TypeName: 'Compact' },
        plate_type: { TypeID: 4, TypeName: 'Passenger' },
        province: { ProvID: 9, ProvName: 'Ontario', ProvCode: 'ON' },
      },
      location: { LocationName: 'Downtown Business District' },
      details: [{ offenceFine: 50, type: { ViolationDescr: 'Parked in Loading Zone', bylawcode: 'BL-78' } }],
      attachments: [{ attachName: 'index-debf76b6' }, { attachName: 'index-b11529e8' }],
      category: { TicketTypeName: 'Municipal' },
    });
    const second = await t.post('/api/OC_TOMA/v1/violations/send_overdue_to_collections', { apiToken: token });
    expect(second.body.records).toStrictEqual([]);
  });
});
