import { describe, expect, it } from 'vitest';
import { ApiProblem, formErrors, problemFrom, problemMessage } from '../../console/src/lib/problems.js';
import { toCsv } from '../../console/src/lib/csv.js';
import { lotValuesCsv } from '../../console/src/lib/lot-values.js';
import {
  readAuditEntry,
  readBatchDetail,
  readCollectionsBatch,
  readDashboard,
  readDnttEntry,
  readLot,
  readLotValues,
  readOperatorAccount,
  readOperatorAction,
  readPage,
  readPaystationPermit,
  readPermitSummary,
  readPerson,
  readPlateFindings,
  readSession,
  readToken,
  readVehicle,
  readUserAlarm,
  readVehicleAlarm,
  readViolation,
  readViolationDetail,
  readWebhookDelivery,
  readWebhookEndpoint,
  readWebhookSecret,
} from '../../console/src/lib/records.js';
import { auditQuery, EMPTY_AUDIT_FORM, GRACE_CHOICES, personName, tokenState } from '../../console/src/lib/records-screens.js';
import { balanceOf, violationState } from '../../console/src/lib/violations.js';
import { lotChanges, lotDraftOf, lotDraftProblems } from '../../console/src/lib/lot-form.js';
import { filtersFromSearch, NO_FILTERS, paystationQuery, searchOf } from '../../console/src/lib/paystation.js';
import { TOKEN_SCOPES } from '../../console/src/lib/scopes.js';
import { SCOPES } from '../../src/core/auth.js';
import { deliveryOutcome, endpointState, EVENT_TYPES, eventTypesLabel, eventTypesOf } from '../../console/src/lib/webhooks.js';
import { CHANGE_TYPES } from '../../src/changes/log.js';

describe("the console's handling of the server's answers", () => {
  it('reads an admin error answer: the sentence and the field', () => {
    const problem = problemFrom(400, { error: 'name: required', field: 'name' });
    expect([problem.status, problem.message, problem.field]).toEqual([400, 'name: required', 'name']);
    expect(problemFrom(423, { error: 'the account is locked' }).field).toBeUndefined();
  });

  it('says what the status means when the answer carries no sentence', () => {
    expect(problemFrom(502, '<html>Bad gateway</html>').message).toBe('The server failed (HTTP 502). Try again in a moment.');
    expect(problemFrom(401, undefined).message).toBe('Your session has ended: sign in again.');
    expect(problemFrom(400, { error: '' }).message).toBe('The server refused the request (HTTP 400).');
    expect(problemMessage(new TypeError('Failed to fetch'))).toBe('The server could not be reached. Check the connection and try again.');
  });

  it('puts an error beside the field the server named when the form shows it, above the form otherwise', () => {
    const fields = ['name', 'lot_type', 'capacity'];
    expect(formErrors(new ApiProblem(400, 'capacity: must be at most 2147483647', 'capacity'), fields)).toEqual({
      fields: { capacity: 'capacity: must be at most 2147483647' },
      form: undefined,
    });
    expect(formErrors(new ApiProblem(409, 'a lot named Lot 4 already exists', 'name'), fields).fields).toEqual({ name: 'a lot named Lot 4 already exists' });
    expect(formErrors(new ApiProblem(404, 'no client with code X', 'code'), fields)).toEqual({ fields: {}, form: 'no client with code X' });
    expect(formErrors(new ApiProblem(500, 'Internal server error.'), fields)).toEqual({ fields: {}, form: 'Internal server error.' });
    expect(formErrors(null, fields)).toEqual({ fields: {}, form: undefined });
  });

  it('reads the records it shows, and refuses an answer without them', () => {
    const page = readPage(
      {
        items: [
          {
            id: 4,
            name: 'Lot 4',
            lot_type: 'Y',
            default_cost: '12.50',
            capacity: null,
            tax_rate1: '5.000',
            tax_rate2: null,
            created_at: '2026-01-01T00:00:00.000Z',
          },
        ],
        next_cursor: 4,
      },
      readLot,
    );
    expect(page).toEqual({
      items: [{ id: 4, name: 'Lot 4', lotType: 'Y', defaultCost: '12.50', capacity: null, taxRate1: '5.000', taxRate2: null }],
      nextCursor: 4,
    });
    expect(() => readPage({ items: [{ id: '4', name: 'Lot 4' }], next_cursor: null }, readLot)).toThrow("the server's answer has no integer id");
    expect(() => readPage({ next_cursor: null }, readLot)).toThrow("the server's answer has no list items");
    expect(readPlateFindings({ plate: 'ZZZ999', permits: [], dntt: [], alarm: null, response: '' })).toEqual({
      plate: 'ZZZ999',
      permits: [],
      dntt: [],
      alarm: null,
    });
  });

  it('reads the session answer of the operator sessions contract, and refuses an unknown role', () => {
    const answer = {
      operator: { id: 1, username: 'ada', display_name: 'Ada L.', role: 'officer', client_code: 'OC_TOMA' },
      csrf_token: 'c5rf',
      expires_at: '2026-01-01T08:00:00Z',
    };
    expect(readSession(answer)).toEqual({
      operator: { username: 'ada', displayName: 'Ada L.', role: 'officer', clientCode: 'OC_TOMA' },
      csrfToken: 'c5rf',
      expiresAt: '2026-01-01T08:00:00Z',
    });
    expect(readSession({ ...answer, operator: { ...answer.operator, role: 'admin', client_code: null } }).operator.clientCode).toBeNull();
    expect(() => readSession({ ...answer, operator: { ...answer.operator, role: 'root' } })).toThrow('unknown role root');
  });

  it('reads an operator account, and refuses one without its disabled flag', () => {
    const answer = {
      id: 3,
      username: 'ada',
      display_name: 'Ada L.',
      role: 'finance',
      client_code: null,
      disabled: true,
      locked_until: null,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
    expect(readOperatorAccount(answer)).toEqual({
      id: 3,
      username: 'ada',
      displayName: 'Ada L.',
      role: 'finance',
      clientCode: null,
      disabled: true,
      lockedUntil: null,
    });
    expect(() => readOperatorAccount({ ...answer, disabled: 'yes' })).toThrow("the server's answer has no true/false disabled");
  });

  it('writes the lot value report as CSV: quoted cells where needed, the amounts as sent, a totals row on the cent', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x, y', 'say "hi"'],
          [null, 2],
        ],
      ),
    ).toBe('a,b\r\n"x, y","say ""hi"""\r\n,2\r\n');
    const row = (lotName: string, capacity: number, rented: number, amount: number) => ({
      lot_type: 'S',
      lot_name: lotName,
      default_cost: 100,
      total_permits: capacity,
      rented_permits: rented,
      utilized_pct: capacity === 0 ? null : Math.round((rented * 10000) / capacity) / 100,
      amount_projected: rented * 100,
      amount,
      tax_amount: 0,
      tax_amount1: 0.005,
      tax_amount2: 0,
      total: Math.round((amount + 0.005) * 100) / 100,
    });
    const rows = readLotValues({ items: [row('East, upper', 21, 17, 2897.8783), row('West', 0, 0, 0.1)] });
    expect(lotValuesCsv(rows).split('\r\n')).toEqual([
      'lot_type,lot_name,default_cost,total_permits,rented_permits,utilized_pct,amount_projected,amount,tax_amount,tax_amount1,tax_amount2,total',
      'S,"East, upper",100,21,17,80.95,1700,2897.8783,0,0.005,0,2897.88',
      'S,West,100,0,0,,0,0.1,0,0.005,0,0.11',
      ',Total,,21,17,80.95,1700,2897.98,0,0.01,0,2897.99',
      '',
    ]);
    expect(() => readLotValues({ items: [{ ...row('A', 1, 1, 1), total: '1.00' }] })).toThrow("the server's answer has no number total");
  });

  it('reads DNTT entries and who an alarm belongs to', () => {
    const entry = {
      id: 2,
      plate: 'DEF 123',
      plate_norm: 'DEF123',
      location: '',
      start_at: '2026-01-01T00:00:00.000Z',
      end_at: '2027-01-01T00:00:00.000Z',
      notes: '',
      created_at: '2026-01-01T00:00:00.000Z',
    };
    expect(readDnttEntry(entry)).toEqual({
      id: 2,
      plate: 'DEF 123',
      location: '',
      startAt: '2026-01-01T00:00:00.000Z',
      endAt: '2027-01-01T00:00:00.000Z',
      notes: '',
    });
    expect(readVehicleAlarm({ id: 5, plate: 'ABC123', alert: 'Wanted to talk with.' })).toEqual({ id: 5, name: 'ABC123', alert: 'Wanted to talk with.' });
    expect(readUserAlarm({ id: 7, unique_id: 'U-7', first_name: 'Sam', last_name: 'Lee', email: 'sam@example.org', alert: null })).toEqual({
      id: 7,
      name: 'Sam Lee <sam@example.org>',
      alert: null,
    });
    expect(readUserAlarm({ id: 8, unique_id: 'U-8', first_name: null, last_name: '', email: null, alert: null }).name).toBe('U-8');
    expect(() => readVehicleAlarm({ id: 5, plate: 'ABC123', alert: 3 })).toThrow("the server's answer has a alert that is not text");
  });

  it('reads a violation with its payments, and says what it owes and where it stands', () => {
    const answer = {
      id: 9,
      ticket: '1-100013',
      plate: 'AJNR123',
      location_id: 1,
      fine: '50.00',
      adjusted_fine: null,
      issued_at: '2016-05-03T20:00:00.000Z',
      due_at: '2016-05-23T20:00:00.000Z',
      spoiled_at: null,
      appeal_state: 'none',
      sent_to_collections_at: null,
      violation_type_ids: [3],
      paid: '20.10',
      payments: [{ id: 1, amount: '20.10', paid_at: '2026-01-01T00:00:00.000Z' }],
    };
    const violation = readViolationDetail(answer);
    expect(violation.payments).toEqual([{ id: 1, amount: '20.10', paidAt: '2026-01-01T00:00:00.000Z' }]);
    expect(balanceOf(violation)).toBe('29.90');
    const now = new Date('2026-06-01T00:00:00Z');
    expect(violationState(violation, now)).toBe('Overdue');
    expect(violationState({ ...violation, dueAt: '2027-01-01T00:00:00.000Z' }, now)).toBe('Open');
    expect(violationState({ ...violation, appealState: 'open' }, now)).toBe('Under appeal');
    expect(violationState({ ...violation, adjustedFine: '20.10' }, now)).toBe('Paid');
    expect(violationState({ ...violation, sentToCollectionsAt: '2026-02-01T00:00:00.000Z' }, now)).toBe('Sent to collections');
    expect(violationState({ ...violation, voidedAt: '2026-02-01T00:00:00.000Z', sentToCollectionsAt: '2026-02-01T00:00:00.000Z' }, now)).toBe('Void');
    expect(() => readViolationDetail({ ...answer, payments: undefined })).toThrow("the server's answer has no list payments");
    expect(() => readViolation({ ...answer, violation_type_ids: ['3'] })).toThrow('violation type id that is not an integer');
  });

  it('reads the dashboard, and refuses one without its overdue count', () => {
    const answer = {
      lots: [{ id: 1, name: 'North', capacity: 10, standard_permits: 2, pushed_permits: 1, valid_permits: 3 }],
      overdue_violations: 4,
      disconnected_permits: 2,
    };
    expect(readDashboard(answer)).toEqual({ lots: [{ id: 1, name: 'North', capacity: 10, validPermits: 3 }], overdueViolations: 4, disconnectedPermits: 2 });
    expect(() => readDashboard({ ...answer, disconnected_permits: null })).toThrow("the server's answer has no integer disconnected_permits");
    expect(() => readDashboard({ lots: [] })).toThrow("the server's answer has no integer overdue_violations");
  });

  it("offers the server's token scopes", () => {
    expect([...TOKEN_SCOPES]).toEqual([...SCOPES]);
  });

  it('checks a lot form as it is typed, by the server’s rules, and sends only what changed', () => {
    const lot = readLot({ id: 3, name: 'Lot 4', lot_type: 'M', default_cost: '12.50', capacity: 40, tax_rate1: '5.000', tax_rate2: '0.000' });
    const draft = lotDraftOf(lot);
    expect(lotDraftProblems(draft)).toEqual({});
    expect(lotChanges(lot, draft)).toEqual({});
    expect(lotDraftProblems({ ...draft, name: '  ', lot_type: 'x', default_cost: '1.234', capacity: '4O', tax_rate1: '101', tax_rate2: '-1' })).toEqual({
      name: 'The name must be 1-200 characters.',
      lot_type: 'The type must be Yearly, Monthly, Semester or Other.',
      default_cost: 'The default cost must be an amount with at most two decimals, e.g. 12.50.',
      capacity: 'The capacity must be a whole number from 0 to 2147483647.',
      tax_rate1: 'A tax rate must be a percentage from 0 to 100.',
      tax_rate2: 'A tax rate must be a percentage from 0 to 100.',
    });
    expect(lotDraftProblems({ ...draft, capacity: '2147483648' }).capacity).toBeDefined();
    expect(lotDraftProblems({ ...draft, name: 'x'.repeat(201) }).name).toBeDefined();
    expect(lotDraftProblems({ ...draft, default_cost: '', capacity: '', tax_rate1: '' })).toEqual({});
    expect(lotChanges(lot, { ...draft, name: ' Lot Four ', capacity: '50', default_cost: '0.10', tax_rate2: '' })).toEqual({
      name: 'Lot Four',
      capacity: 50,
      default_cost: '0.10',
    });
  });

  it('turns the Paystation filters into the admin API query and the address, and back', () => {
    expect(paystationQuery(NO_FILTERS)).toEqual({});
    expect(searchOf({})).toBe('');
    const filters = {
      ...NO_FILTERS,
      plate: ' ab 12 ',
      zone: 'Lot 4',
      integration: 'Kiosk',
      promoCode: 'SPRING',
      disconnectedOnly: true,
      validity: 'now' as const,
    };
    const query = paystationQuery(filters);
    expect(query).toEqual({ plate: 'ab 12', zone: 'Lot 4', integration: 'Kiosk', promo_code: 'SPRING', disconnected: true, valid_at: 'now' });
    expect(searchOf(query)).toBe('?plate=ab+12&zone=Lot+4&integration=Kiosk&promo_code=SPRING&disconnected=true&valid_at=now');
    expect(filtersFromSearch(searchOf(query))).toEqual({ ...filters, plate: 'ab 12' });
    expect(filtersFromSearch('?disconnected=true')).toEqual({ ...NO_FILTERS, disconnectedOnly: true });
    // local times (datetime-local) become instants, and come back as the same local times
    const dated = { ...NO_FILTERS, validity: 'at' as const, validAt: '2026-03-01T08:30', from: '2026-02-01T00:00', to: 'not a time' };
    const datedQuery = paystationQuery(dated);
    expect(datedQuery).toEqual({ valid_at: new Date('2026-03-01T08:30').toISOString(), from: new Date('2026-02-01T00:00').toISOString() });
    expect(filtersFromSearch(searchOf(datedQuery))).toEqual({ ...dated, to: '' });
  });

  it('reads a Paystation row, and refuses one without its integration', () => {
    const answer = {
      kind: 'pushed',
      id: 7,
      plate: 'AB 12',
      zone: 'P4',
      lot: null,
      disconnected: true,
      integration: 'Kiosk',
      type: 'HotSpot',
      promo_code: 'SPRING',
      amount: '3.25',
      currency: 'CAD',
      start_at: '2026-03-01T08:30:00.000Z',
      end_at: '2026-03-01T10:30:00.000Z',
      deleted_at: null,
    };
    expect(readPaystationPermit(answer)).toEqual({
      id: 7,
      plate: 'AB 12',
      zone: 'P4',
      lot: null,
      disconnected: true,
      integration: 'Kiosk',
      origin: 'HotSpot',
      promoCode: 'SPRING',
      amount: '3.25',
      currency: 'CAD',
      start: '2026-03-01T08:30:00.000Z',
      end: '2026-03-01T10:30:00.000Z',
      deletedAt: null,
    });
    expect(() => readPaystationPermit({ ...answer, integration: undefined })).toThrow("the server's answer has no text integration");
  });
});

describe("the records screens' logic", () => {
  it('builds the audit query from the filter form: blanks left out, times with an offset, bad numbers out of range for the server to name', () => {
    expect(auditQuery(EMPTY_AUDIT_FORM)).toEqual({});
    const local = '2026-11-24T10:00';
    expect(auditQuery({ integration: '3', endpoint: ' /api/:client/v1/permits/push ', errorCode: '9034', since: local, until: 'soon' })).toEqual({
      integration: 3,
      endpoint: '/api/:client/v1/permits/push',
      error_code: 9034,
      since: new Date(local).toISOString(),
      until: 'soon',
    });
    expect(auditQuery({ ...EMPTY_AUDIT_FORM, errorCode: '12.5', integration: 'x' })).toEqual({ error_code: -1, integration: 0 });
    expect(auditQuery({ ...EMPTY_AUDIT_FORM, errorCode: '0' })).toEqual({ error_code: 0 });
  });

  it('says where a token stands: revoked, rotated with its grace, expired, or active', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    const iso = (text: string) => `at ${text}`;
    const token = { revokedAt: null, expiresAt: null, rotatedTo: null };
    expect(tokenState(token, now, iso)).toBe('Active');
    expect(tokenState({ ...token, expiresAt: '2026-11-24T11:00:00Z', rotatedTo: 7 }, now, iso)).toBe('Rotated: works until at 2026-11-24T11:00:00Z');
    expect(tokenState({ ...token, expiresAt: '2026-11-24T10:00:00Z', rotatedTo: 7 }, now, iso)).toBe('Expired at 2026-11-24T10:00:00Z');
    expect(tokenState({ ...token, revokedAt: '2026-11-24T09:00:00Z', expiresAt: '2026-11-24T11:00:00Z' }, now, iso)).toBe('Revoked at 2026-11-24T09:00:00Z');
    expect(GRACE_CHOICES.map((choice) => choice.seconds)).toEqual([0, 3600, 86_400, 604_800]);
  });

  it('names a user by first and last name, or by unique id', () => {
    expect(personName({ firstName: 'Ada', lastName: 'Lovelace', uniqueId: 'u1' })).toBe('Ada Lovelace');
    expect(personName({ firstName: null, lastName: 'Lovelace', uniqueId: 'u1' })).toBe('Lovelace');
    expect(personName({ firstName: '', lastName: null, uniqueId: 'u1' })).toBe('u1');
  });

  it('reads batches with their records, users, vehicles, permits, audit entries and operator actions; refuses changed answers', () => {
    const batch = { id: 'b-1', integration_id: 2, integration_name: 'Pay', record_count: 1, total_amount: '50.00', created_at: '2026-11-24T10:00:00.000Z' };
    const item = { violation_id: 9, ticket: 'T-9', plate: null, issued: 'i', due: 'd', amount: '50.00', record: { Ticket: 'T-9' } };
    expect(readCollectionsBatch(batch)).toEqual({
      id: 'b-1',
      integrationId: 2,
      integrationName: 'Pay',
      recordCount: 1,
      totalAmount: '50.00',
      createdAt: batch.created_at,
    });
    expect(readBatchDetail({ ...batch, records: [item], next_cursor: null }).records).toEqual([
      { violationId: 9, ticket: 'T-9', plate: null, issued: 'i', due: 'd', amount: '50.00', record: { Ticket: 'T-9' } },
    ]);
    expect(() => readBatchDetail({ ...batch, records: [{ ...item, record: 'text' }], next_cursor: null })).toThrow(/collections record as sent/);
    expect(() => readCollectionsBatch({ ...batch, total_amount: 50 })).toThrow(/total_amount/);
    expect(readPerson({ id: 1, unique_id: 'u', first_name: 'A', last_name: null, email: null, alert: null, vehicle_ids: [4] }).vehicleIds).toEqual([4]);
    expect(() => readPerson({ id: 1, unique_id: 'u', vehicle_ids: ['4'] })).toThrow(/vehicle_ids/);
    const vehicle = { id: 4, plate: 'ABC123', province: 'Ontario', make: null, colour: null, alert: null, driver_user_ids: [1] };
    expect(readVehicle(vehicle).driverUserIds).toEqual([1]);
    expect(readPermitSummary({ kind: 'pushed', id: 5, short_name: null, plate: 'ABC123', start_at: 's', end_at: 'e', amount: null }).plates).toEqual([
      'ABC123',
    ]);
    expect(readPermitSummary({ kind: 'standard', id: 6, short_name: 'BIKE', plates: ['A', 'B'], start_at: 's', end_at: 'e', amount: '0.00' }).plates).toEqual([
      'A',
      'B',
    ]);
    expect(() => readPermitSummary({ kind: 'other', id: 6 })).toThrow(/kind other/);
    const entry = {
      id: 3,
      at: 'a',
      integration_id: null,
      token_id: null,
      method: 'POST',
      endpoint: '/x',
      error_code: 9034,
      http_status: 401,
      latency_ms: '1.5',
      request_id: 'r',
    };
    expect(readAuditEntry(entry)).toMatchObject({ errorCode: 9034, integrationId: null });
    const action = { id: 8, at: 'a', actor: 'cli', resource: 'tokens', action: 'rotate', method: 'POST', params: { code: 'X', id: '3' }, status: 201 };
    expect(readOperatorAction(action).params).toEqual({ code: 'X', id: '3' });
    expect(
      readToken({ id: 1, integration_id: 2, prefix: 'pc-', scopes: [], created_at: 'c', revoked_at: null, last_used_at: null, expires_at: 'e', rotated_to: 3 }),
    ).toMatchObject({
      expiresAt: 'e',
      rotatedTo: 3,
    });
  });
});

describe("the webhooks section's logic", () => {
  const endpoint = {
    id: 4,
    url: 'https://hooks.example.org/parking',
    description: null,
    event_types: 'all',
    enabled: true,
    disabled_reason: null,
    disabled_at: null,
    cursor: '12',
    pending_events: 0,
    failed_attempts: 0,
    next_attempt_at: null,
    delivered: 12,
    failed: 0,
    previous_secret_until: null,
    created_at: '2026-12-01T20:00:00.000Z',
    updated_at: '2026-12-01T20:00:00.000Z',
  };
  const delivery = {
    id: 9,
    kind: 'test',
    message_id: 'msg_test_1',
    seq: null,
    type: 'webhook.test',
    status: 'succeeded',
    attempts: 1,
    last_status_code: 204,
    latency_ms: 12,
    next_attempt_at: null,
    last_error: null,
    created_at: '2026-12-01T20:00:00.000Z',
    updated_at: '2026-12-01T20:00:00.000Z',
  };
  const when = (iso: string) => `at ${iso}`;

  it("offers the server's event types, and sends none checked as all", () => {
    expect([...EVENT_TYPES]).toEqual([...CHANGE_TYPES]);
    expect(eventTypesOf([])).toBe('all');
    expect(eventTypesOf(['permit.created', 'dntt.ended'])).toEqual(['permit.created', 'dntt.ended']);
  });

  it('reads an endpoint, its secret and its deliveries; refuses changed answers', () => {
    expect(readWebhookEndpoint(endpoint)).toMatchObject({ id: 4, eventTypes: 'all', cursor: '12', pendingEvents: 0, delivered: 12 });
    expect(readWebhookEndpoint({ ...endpoint, event_types: ['permit.created'] }).eventTypes).toEqual(['permit.created']);
    expect(() => readWebhookEndpoint({ ...endpoint, event_types: [1] })).toThrow(/event type/);
    expect(() => readWebhookEndpoint({ ...endpoint, event_types: 'some' })).toThrow(/event_types/);
    expect(() => readWebhookEndpoint({ ...endpoint, cursor: 12 })).toThrow(/cursor/);
    expect(() => readWebhookEndpoint({ ...endpoint, enabled: 'yes' })).toThrow(/enabled/);
    expect(readWebhookSecret({ ...endpoint, secret: 'whsec_abc' })).toEqual({ id: 4, secret: 'whsec_abc' });
    expect(readWebhookSecret({ id: 4, secret: 'whsec_new', previous_secret_until: 'p' }).secret).toBe('whsec_new');
    expect(() => readWebhookSecret(endpoint)).toThrow(/secret/);
    expect(readWebhookDelivery(delivery)).toMatchObject({ kind: 'test', status: 'succeeded', lastStatusCode: 204, latencyMs: 12, seq: null });
    expect(readPage({ items: [delivery], next_cursor: 9 }, readWebhookDelivery).nextCursor).toBe(9);
    expect(() => readWebhookDelivery({ ...delivery, status: 'lost' })).toThrow(/status lost/);
    expect(() => readWebhookDelivery({ ...delivery, kind: 'other' })).toThrow(/kind other/);
  });

  it('says where an endpoint stands and what its event types are', () => {
    const enabled = readWebhookEndpoint(endpoint);
    expect(endpointState(enabled, when)).toBe('Enabled');
    expect(eventTypesLabel(enabled)).toBe('all');
    const retrying = readWebhookEndpoint({ ...endpoint, failed_attempts: 2, next_attempt_at: 'N', event_types: ['permit.created', 'lot.created'] });
    expect(endpointState(retrying, when)).toBe('Enabled, retrying: 2 failed attempts, next attempt at N');
    expect(eventTypesLabel(retrying)).toBe('permit.created, lot.created');
    const disabled = readWebhookEndpoint({ ...endpoint, enabled: false, disabled_reason: 'disabled by an operator', disabled_at: 'D' });
    expect(endpointState(disabled, when)).toBe('Disabled: disabled by an operator');
  });

  it("says a delivery's outcome: delivered, failed with its error, or pending", () => {
    expect(deliveryOutcome(readWebhookDelivery(delivery), when)).toBe('Delivered: HTTP 204 in 12 ms.');
    const refused = readWebhookDelivery({ ...delivery, status: 'failed', last_status_code: 500, last_error: 'HTTP 500' });
    expect(deliveryOutcome(refused, when)).toBe('Failed: HTTP 500 in 12 ms (HTTP 500).');
    const unreachable = readWebhookDelivery({ ...delivery, status: 'failed', last_status_code: null, latency_ms: null, last_error: 'connection refused' });
    expect(deliveryOutcome(unreachable, when)).toBe('Failed: no answer (connection refused).');
    expect(deliveryOutcome(readWebhookDelivery({ ...delivery, status: 'pending', next_attempt_at: 'N' }), when)).toBe('Pending: next attempt at N.');
  });
});
