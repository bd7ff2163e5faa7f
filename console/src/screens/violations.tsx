import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors, problemMessage } from '../lib/problems.js';
import { readNamed, readPage, readViolation, readViolationDetail, readViolationType, type Violation } from '../lib/records.js';
import { balanceOf, violationState } from '../lib/violations.js';
import { ErrorNote, Field, Loading, Pager } from '../ui.js';

const PAGE_SIZE = 25;
/** Enough for every location, category and violation type of a parking office. */
const LOOKUP_LIMIT = 1000;
const STATUSES = [
  { value: '', label: 'All' },
  { value: 'open', label: 'Open (owing)' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'paid', label: 'Paid' },
  { value: 'void', label: 'Void' },
  { value: 'collections', label: 'Sent to collections' },
] as const;
type StatusFilter = (typeof STATUSES)[number]['value'];
const VIOLATION_FIELDS = ['ticket', 'plate', 'violation_type_ids', 'location', 'issued', 'due', 'fine'];

function when(iso: string | null): string {
  return iso === null ? '—' : new Date(iso).toLocaleString();
}

function isStatus(value: string): value is StatusFilter {
  return STATUSES.some((status) => status.value === value);
}

/** A `datetime-local` value as an ISO time with an offset; what does not read as a time goes as typed, for the server to name. */
function instant(local: string): string {
  const time = new Date(local);
  return local === '' || Number.isNaN(time.getTime()) ? local : time.toISOString();
}

/** Now as a `datetime-local` value in the browser's time zone, to the minute. */
function localNow(offsetDays = 0): string {
  const time = new Date(Date.now() + offsetDays * 86_400_000);
  const pad = (part: number) => String(part).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

export function ViolationsScreen({ clientCode }: { clientCode: string }) {
  const [status, setStatus] = useState<StatusFilter>('');
  const [typedPlate, setTypedPlate] = useState('');
  const [plate, setPlate] = useState<string | undefined>();
  const [cursors, setCursors] = useState<number[]>([]);
  const [selected, setSelected] = useState<number | undefined>();
  const cursor = cursors.at(-1);
  const violations = useQuery({
    queryKey: ['violations', clientCode, status, plate, cursor],
    queryFn: async () =>
      readPage(
        await answerOf(
          api.GET('/admin/v1/clients/{code}/violations', {
            params: { path: { code: clientCode }, query: { limit: PAGE_SIZE, cursor, plate, ...(status === '' ? {} : { status }) } },
          }),
        ),
        readViolation,
      ),
    placeholderData: keepPreviousData,
  });
  const filter = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setPlate(typedPlate.trim() === '' ? undefined : typedPlate.trim());
  };
  const now = new Date();

  return (
    <section aria-labelledby="violations-title">
      <h1 id="violations-title">Violations</h1>
      <CreateViolation clientCode={clientCode} onCreated={setSelected} />
      {selected !== undefined && <ViolationDetails clientCode={clientCode} id={selected} onClose={() => setSelected(undefined)} />}
      <h2>Tickets</h2>
      <form className="card inline-form" role="search" aria-label="Filter violations" onSubmit={filter}>
        <Field id="violations-status" label="Status" error={undefined}>
          {(aria) => (
            <select
              id="violations-status"
              value={status}
              onChange={(event) => {
                if (!isStatus(event.target.value)) return;
                setStatus(event.target.value);
                setCursors([]);
              }}
              {...aria}
            >
              {STATUSES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="violations-plate" label="Plate" error={undefined}>
          {(aria) => <input id="violations-plate" value={typedPlate} onChange={(event) => setTypedPlate(event.target.value)} {...aria} />}
        </Field>
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      {violations.isPending ? (
        <Loading what="violations" />
      ) : violations.isError ? (
        <ErrorNote error={violations.error} retry={() => void violations.refetch()} />
      ) : violations.data.items.length === 0 && cursor === undefined ? (
        <p className="muted">{status === '' && plate === undefined ? 'No violation yet.' : 'No violation matches these filters.'}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col">Plate</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="number">
                    Fine
                  </th>
                  <th scope="col" className="number">
                    Owing
                  </th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {violations.data.items.map((violation) => (
                  <tr key={violation.id}>
                    <th scope="row">{violation.ticket}</th>
                    <td>{violation.plate ?? '—'}</td>
                    <td>{when(violation.issuedAt)}</td>
                    <td>{when(violation.dueAt)}</td>
                    <td className="number">{violation.adjustedFine ?? violation.fine}</td>
                    <td className="number">{balanceOf(violation)}</td>
                    <td>{violationState(violation, now)}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Details of ticket ${violation.ticket}`}
                        onClick={() => setSelected(violation.id)}
                      >
                        Details
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={violations.data.nextCursor} />
        </>
      )}
    </section>
  );
}

/** One violation with its payments: record a payment, or void it after a confirmation. */
function ViolationDetails({ clientCode, id, onClose }: { clientCode: string; id: number; onClose: () => void }) {
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['violation', clientCode, id],
    queryFn: async () =>
      readViolationDetail(await answerOf(api.GET('/admin/v1/clients/{code}/violations/{id}', { params: { path: { code: clientCode, id } } }))),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['violation', clientCode, id] });
    await queryClient.invalidateQueries({ queryKey: ['violations', clientCode] });
  };
  const [amount, setAmount] = useState('');
  const [confirmingVoid, setConfirmingVoid] = useState(false);
  const pay = useMutation({
    mutationFn: async () =>
      answerOf(api.POST('/admin/v1/clients/{code}/violations/{id}/payments', { params: { path: { code: clientCode, id } }, body: { amount: amount.trim() } })),
    onSuccess: async () => {
      setAmount('');
      await refresh();
    },
  });
  const voiding = useMutation({
    mutationFn: async () => answerOf(api.POST('/admin/v1/clients/{code}/violations/{id}/void', { params: { path: { code: clientCode, id } } })),
    onSuccess: async () => {
      setConfirmingVoid(false);
      await refresh();
    },
  });
  // a keyboard or screen reader user who chose Details lands on them, above the list
  const title = useRef<HTMLHeadingElement>(null);
  const loaded = detail.isSuccess;
  useEffect(() => {
    if (loaded) title.current?.focus();
  }, [id, loaded]);
  const paymentErrors = formErrors(pay.error, ['amount']);
  const submitPayment = (event: FormEvent) => {
    event.preventDefault();
    pay.mutate();
  };

  if (detail.isPending) return <Loading what="the violation" />;
  if (detail.isError) return <ErrorNote error={detail.error} retry={() => void detail.refetch()} />;
  const violation = detail.data;
  const open = violation.voidedAt === null && Number(balanceOf(violation)) > 0;
  return (
    <article className="card" aria-labelledby="violation-detail-title">
      <div className="row spread">
        <h2 id="violation-detail-title" ref={title} tabIndex={-1}>
          Ticket {violation.ticket}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>State</dt>
        <dd>{violationState(violation, new Date())}</dd>
        <dt>Plate</dt>
        <dd>{violation.plate ?? '—'}</dd>
        <dt>Issued</dt>
        <dd>{when(violation.issuedAt)}</dd>
        <dt>Due</dt>
        <dd>{when(violation.dueAt)}</dd>
        <dt>Fine</dt>
        <dd>{violation.adjustedFine === null ? violation.fine : `${violation.adjustedFine} (adjusted from ${violation.fine})`}</dd>
        <dt>Paid</dt>
        <dd>{violation.paid}</dd>
        <dt>Owing</dt>
        <dd>{balanceOf(violation)}</dd>
        <dt>Appeal</dt>
        <dd>{violation.appealState}</dd>
        {violation.sentToCollectionsAt !== null && (
          <>
            <dt>Sent to collections</dt>
            <dd>{when(violation.sentToCollectionsAt)}</dd>
          </>
        )}
        {violation.voidedAt !== null && (
          <>
            <dt>Voided</dt>
            <dd>{when(violation.voidedAt)}</dd>
          </>
        )}
      </dl>
      <h3>Payments</h3>
      {violation.payments.length === 0 ? (
        <p className="muted">No payment recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Paid at</th>
              <th scope="col" className="number">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {violation.payments.map((payment) => (
              <tr key={payment.id}>
                <td>{when(payment.paidAt)}</td>
                <td className="number">{payment.amount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <form className="inline-form" onSubmit={submitPayment} aria-label={`Record a payment on ticket ${violation.ticket}`} noValidate>
          <Field id="payment-amount" label="Payment amount" error={paymentErrors.fields.amount}>
            {(aria) => <input id="payment-amount" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} {...aria} />}
          </Field>
          <button type="submit" disabled={pay.isPending}>
            Record payment
          </button>
        </form>
      )}
      {paymentErrors.form !== undefined && (
        <p role="alert" className="error">
          {paymentErrors.form}
        </p>
      )}
      {violation.voidedAt === null && (
        <div className="row danger-zone">
          {confirmingVoid ? (
            <span role="group" aria-label={`Void ticket ${violation.ticket}?`} className="confirm">
              Void ticket {violation.ticket}? It will no longer be owed, and this cannot be undone.
              <button type="button" className="danger" onClick={() => voiding.mutate()} disabled={voiding.isPending}>
                Confirm void
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmingVoid(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmingVoid(true)}>
              Void ticket
            </button>
          )}
        </div>
      )}
      {voiding.isError && (
        <p role="alert" className="error">
          {problemMessage(voiding.error)}
        </p>
      )}
    </article>
  );
}

function CreateViolation({ clientCode, onCreated }: { clientCode: string; onCreated: (id: number) => void }) {
  const queryClient = useQueryClient();
  const path = { code: clientCode };
  const types = useQuery({
    queryKey: ['violation-types', clientCode],
    queryFn: async () =>
      readPage(await answerOf(api.GET('/admin/v1/clients/{code}/violation-types', { params: { path, query: { limit: LOOKUP_LIMIT } } })), readViolationType),
  });
  const locations = useQuery({
    queryKey: ['locations', clientCode],
    queryFn: async () =>
      readPage(await answerOf(api.GET('/admin/v1/clients/{code}/locations', { params: { path, query: { limit: LOOKUP_LIMIT } } })), readNamed),
  });
  const [ticket, setTicket] = useState('');
  const [plate, setPlate] = useState('');
  const [typeIds, setTypeIds] = useState<number[]>([]);
  const [location, setLocation] = useState('');
  const [issued, setIssued] = useState(() => localNow());
  const [due, setDue] = useState(() => localNow(30));
  const [fine, setFine] = useState('');
  const [created, setCreated] = useState<Violation | undefined>();
  const create = useMutation({
    mutationFn: async () =>
      readViolation(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/violations', {
            params: { path },
            body: {
              ticket,
              plate,
              violation_type_ids: typeIds,
              issued: instant(issued),
              due: instant(due),
              ...(location === '' ? {} : { location: Number(location) }),
              ...(fine.trim() === '' ? {} : { fine: fine.trim() }),
            },
          }),
        ),
      ),
    onSuccess: async (violation) => {
      setCreated(violation);
      setTicket('');
      setPlate('');
      setFine('');
      onCreated(violation.id);
      await queryClient.invalidateQueries({ queryKey: ['violations', clientCode] });
    },
  });
  const errors = formErrors(create.error, VIOLATION_FIELDS);
  const toggleType = (id: number, on: boolean) => setTypeIds(on ? [...typeIds, id] : typeIds.filter((other) => other !== id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    create.mutate();
  };
  return (
    <details className="card">
      <summary>Write a ticket</summary>
      <form onSubmit={submit} aria-label="Write a ticket" noValidate>
        {errors.form !== undefined && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        {created !== undefined && (
          <p role="status" className="success">
            Ticket {created.ticket} written.
          </p>
        )}
        <div className="form-grid">
          <Field id="violation-ticket" label="Ticket number" error={errors.fields.ticket}>
            {(aria) => <input id="violation-ticket" value={ticket} onChange={(event) => setTicket(event.target.value)} {...aria} />}
          </Field>
          <Field id="violation-plate" label="Vehicle plate" error={errors.fields.plate}>
            {(aria) => <input id="violation-plate" autoCapitalize="characters" value={plate} onChange={(event) => setPlate(event.target.value)} {...aria} />}
          </Field>
          <Field id="violation-location" label="Location" error={errors.fields.location ?? (locations.isError ? problemMessage(locations.error) : undefined)}>
            {(aria) => (
              <select id="violation-location" value={location} onChange={(event) => setLocation(event.target.value)} {...aria}>
                <option value="">None</option>
                {locations.data?.items.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="violation-issued" label="Issued" error={errors.fields.issued}>
            {(aria) => <input id="violation-issued" type="datetime-local" value={issued} onChange={(event) => setIssued(event.target.value)} {...aria} />}
          </Field>
          <Field id="violation-due" label="Due" error={errors.fields.due}>
            {(aria) => <input id="violation-due" type="datetime-local" value={due} onChange={(event) => setDue(event.target.value)} {...aria} />}
          </Field>
          <Field id="violation-fine" label="Fine (blank: the types' costs)" error={errors.fields.fine}>
            {(aria) => <input id="violation-fine" inputMode="decimal" value={fine} onChange={(event) => setFine(event.target.value)} {...aria} />}
          </Field>
        </div>
        <fieldset aria-describedby={errors.fields.violation_type_ids === undefined ? undefined : 'violation-types-error'}>
          <legend>Violation types</legend>
          {types.isPending ? (
            <Loading what="violation types" />
          ) : types.isError ? (
            <ErrorNote error={types.error} retry={() => void types.refetch()} />
          ) : types.data.items.length === 0 ? (
            <p className="muted">This client has no violation types: tickets need one.</p>
          ) : (
            <div className="scopes">
              {types.data.items.map((type) => (
                <label key={type.id} className="checkbox">
                  <input type="checkbox" checked={typeIds.includes(type.id)} onChange={(event) => toggleType(type.id, event.target.checked)} />
                  {type.description} ({type.defaultCost})
                </label>
              ))}
            </div>
          )}
          {errors.fields.violation_type_ids !== undefined && (
            <span id="violation-types-error" className="field-error">
              {errors.fields.violation_type_ids}
            </span>
          )}
        </fieldset>
        <button type="submit" disabled={create.isPending}>
          Write ticket
        </button>
      </form>
    </details>
  );
}
