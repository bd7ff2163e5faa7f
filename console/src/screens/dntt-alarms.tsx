import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors, problemMessage } from '../lib/problems.js';
import { readDnttEntry, readPage, readUserAlarm, readVehicleAlarm, type AlarmHolder } from '../lib/records.js';
import { ErrorNote, Field, Loading } from '../ui.js';

const LIST_LIMIT = 200;
const DNTT_FIELDS = ['plate', 'location', 'start', 'end', 'notes'];

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

/**
 * A `datetime-local` value (the browser's time zone, no offset) as the ISO time with an offset
 * the API wants; what does not read as a time goes as typed, for the server to name the field.
 */
function instant(local: string): string {
  const time = new Date(local);
  return local === '' || Number.isNaN(time.getTime()) ? local : time.toISOString();
}

export function DnttAlarmsScreen({ clientCode }: { clientCode: string }) {
  return (
    <section aria-labelledby="dntt-title">
      <h1 id="dntt-title">DNTT & alarms</h1>
      <DnttEntries clientCode={clientCode} />
      <h2>Alarms</h2>
      <p className="muted">An alarm is shown to whoever validates the plate (ALARM), until it is cleared.</p>
      <div className="two-columns">
        <AlarmPanel clientCode={clientCode} kind="vehicle" />
        <AlarmPanel clientCode={clientCode} kind="user" />
      </div>
    </section>
  );
}

function DnttEntries({ clientCode }: { clientCode: string }) {
  const [typedPlate, setTypedPlate] = useState('');
  const [plate, setPlate] = useState<string | undefined>();
  const entries = useQuery({
    queryKey: ['dntt', clientCode, plate],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/dntt', { params: { path: { code: clientCode }, query: { limit: LIST_LIMIT, plate } } })),
        readDnttEntry,
      ),
  });
  const filter = (event: FormEvent) => {
    event.preventDefault();
    setPlate(typedPlate.trim() === '' ? undefined : typedPlate.trim());
  };
  return (
    <>
      <CreateDntt clientCode={clientCode} />
      <h2>Do not ticket or tow</h2>
      <form className="inline-form" role="search" aria-label="DNTT entries by plate" onSubmit={filter}>
        <Field id="dntt-filter" label="Only the plate" error={undefined}>
          {(aria) => <input id="dntt-filter" value={typedPlate} onChange={(event) => setTypedPlate(event.target.value)} {...aria} />}
        </Field>
        <button type="submit" className="secondary">
          Show
        </button>
      </form>
      {entries.isPending ? (
        <Loading what="DNTT entries" />
      ) : entries.isError ? (
        <ErrorNote error={entries.error} retry={() => void entries.refetch()} />
      ) : entries.data.items.length === 0 ? (
        <p className="muted">{plate === undefined ? 'No DNTT entry yet.' : `No DNTT entry for ${plate}.`}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Plate</th>
                <th scope="col">Location</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((entry) => (
                <tr key={entry.id}>
                  <th scope="row">{entry.plate}</th>
                  <td>{entry.location === '' ? 'every location' : entry.location}</td>
                  <td>{when(entry.startAt)}</td>
                  <td>{when(entry.endAt)}</td>
                  <td>{entry.notes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function CreateDntt({ clientCode }: { clientCode: string }) {
  const queryClient = useQueryClient();
  const [plate, setPlate] = useState('');
  const [location, setLocation] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [notes, setNotes] = useState('');
  const [created, setCreated] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: async () =>
      readDnttEntry(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/dntt', {
            params: { path: { code: clientCode } },
            body: { plate, location, start: instant(start), end: instant(end), notes },
          }),
        ),
      ),
    onSuccess: async (entry) => {
      setCreated(entry.plate);
      setPlate('');
      setLocation('');
      setNotes('');
      await queryClient.invalidateQueries({ queryKey: ['dntt', clientCode] });
    },
  });
  const errors = formErrors(create.error, DNTT_FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    create.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-dntt-title" noValidate>
      <h2 id="create-dntt-title">Add a DNTT entry</h2>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      {created !== undefined && (
        <p role="status" className="success">
          DNTT entry for {created} added.
        </p>
      )}
      <div className="form-grid">
        <Field id="dntt-plate" label="Plate" error={errors.fields.plate}>
          {(aria) => <input id="dntt-plate" autoCapitalize="characters" value={plate} onChange={(event) => setPlate(event.target.value)} {...aria} />}
        </Field>
        <Field id="dntt-location" label="Location (blank: every location)" error={errors.fields.location}>
          {(aria) => <input id="dntt-location" value={location} onChange={(event) => setLocation(event.target.value)} {...aria} />}
        </Field>
        <Field id="dntt-start" label="From" error={errors.fields.start}>
          {(aria) => <input id="dntt-start" type="datetime-local" value={start} onChange={(event) => setStart(event.target.value)} {...aria} />}
        </Field>
        <Field id="dntt-end" label="Until" error={errors.fields.end}>
          {(aria) => <input id="dntt-end" type="datetime-local" value={end} onChange={(event) => setEnd(event.target.value)} {...aria} />}
        </Field>
        <Field id="dntt-notes" label="Notes" error={errors.fields.notes}>
          {(aria) => <input id="dntt-notes" value={notes} onChange={(event) => setNotes(event.target.value)} {...aria} />}
        </Field>
      </div>
      <button type="submit" disabled={create.isPending}>
        Add DNTT entry
      </button>
    </form>
  );
}

type AlarmKind = 'vehicle' | 'user';

const ALARM_WORDING = {
  vehicle: { title: 'Vehicle alarm', search: 'Plate', button: 'Find vehicle', none: 'No vehicle with this plate.' },
  user: { title: 'User alarm', search: 'Email', button: 'Find user', none: 'No user with this email.' },
} as const;

async function findHolders(clientCode: string, kind: AlarmKind, term: string): Promise<AlarmHolder[]> {
  const path = { code: clientCode };
  if (kind === 'vehicle') {
    return readPage(await answerOf(api.GET('/admin/v1/clients/{code}/vehicles', { params: { path, query: { plate: term } } })), readVehicleAlarm).items;
  }
  return readPage(await answerOf(api.GET('/admin/v1/clients/{code}/users', { params: { path, query: { email: term } } })), readUserAlarm).items;
}

/** Finds a vehicle by plate or a user by email, and sets or clears its alarm. */
function AlarmPanel({ clientCode, kind }: { clientCode: string; kind: AlarmKind }) {
  const wording = ALARM_WORDING[kind];
  const [typed, setTyped] = useState('');
  const [term, setTerm] = useState<string | undefined>();
  const found = useQuery({
    queryKey: ['alarm-holders', clientCode, kind, term],
    enabled: term !== undefined,
    queryFn: () => findHolders(clientCode, kind, term ?? ''),
    staleTime: 0,
  });
  const searchId = `${kind}-alarm-search`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim() === term) void found.refetch();
    else setTerm(typed.trim());
  };
  return (
    <section className="card" aria-labelledby={`${kind}-alarm-title`}>
      <h3 id={`${kind}-alarm-title`}>{wording.title}</h3>
      <form className="inline-form" role="search" aria-label={wording.button} onSubmit={submit}>
        <Field id={searchId} label={wording.search} error={undefined}>
          {(aria) => <input id={searchId} required value={typed} onChange={(event) => setTyped(event.target.value)} {...aria} />}
        </Field>
        <button type="submit" className="secondary">
          {wording.button}
        </button>
      </form>
      {term === undefined ? null : found.isPending ? (
        <Loading what={term} />
      ) : found.isError ? (
        <ErrorNote error={found.error} retry={() => void found.refetch()} />
      ) : found.data.length === 0 ? (
        <p className="muted">{wording.none}</p>
      ) : (
        found.data.map((holder) => <AlarmEditor key={holder.id} clientCode={clientCode} kind={kind} holder={holder} onChanged={() => void found.refetch()} />)
      )}
    </section>
  );
}

function AlarmEditor({ clientCode, kind, holder, onChanged }: { clientCode: string; kind: AlarmKind; holder: AlarmHolder; onChanged: () => void }) {
  const [text, setText] = useState('');
  const [confirmingClear, setConfirmingClear] = useState(false);
  const params = { params: { path: { code: clientCode, id: holder.id } } };
  const set = useMutation({
    mutationFn: async () =>
      answerOf(
        kind === 'vehicle'
          ? api.PUT('/admin/v1/clients/{code}/vehicles/{id}/alert', { ...params, body: { text } })
          : api.PUT('/admin/v1/clients/{code}/users/{id}/alert', { ...params, body: { text } }),
      ),
    onSuccess: () => {
      setText('');
      onChanged();
    },
  });
  const clear = useMutation({
    mutationFn: async () =>
      answerOf(
        kind === 'vehicle'
          ? api.DELETE('/admin/v1/clients/{code}/vehicles/{id}/alert', params)
          : api.DELETE('/admin/v1/clients/{code}/users/{id}/alert', params),
      ),
    onSuccess: () => {
      setConfirmingClear(false);
      onChanged();
    },
  });
  const errors = formErrors(set.error, ['text']);
  const inputId = `${kind}-${holder.id}-alarm`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set.mutate();
  };
  return (
    <article className="alarm-holder" aria-label={holder.name}>
      <h4>{holder.name}</h4>
      {holder.alert === null ? (
        <p className="muted">No alarm.</p>
      ) : (
        <div className="alarm">
          <p>
            <strong>ALARM:</strong> <span className="pre">{holder.alert}</span>
          </p>
          {confirmingClear ? (
            <span role="group" aria-label={`Clear the alarm of ${holder.name}?`} className="confirm">
              Clear this alarm?
              <button type="button" className="danger" onClick={() => clear.mutate()} disabled={clear.isPending}>
                Confirm clear
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmingClear(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmingClear(true)}>
              Clear alarm
            </button>
          )}
          {clear.isError && (
            <p role="alert" className="error">
              {problemMessage(clear.error)}
            </p>
          )}
        </div>
      )}
      <form className="inline-form" onSubmit={submit} noValidate>
        {errors.form !== undefined && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        <Field id={inputId} label={holder.alert === null ? 'Alarm text' : 'New alarm text'} error={errors.fields.text}>
          {(aria) => <input id={inputId} value={text} onChange={(event) => setText(event.target.value)} {...aria} />}
        </Field>
        <button type="submit" disabled={set.isPending}>
          Set alarm
        </button>
      </form>
    </article>
  );
}
