import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { readPage, readPermitSummary, readPerson, readVehicle, readViolation, type Person, type Vehicle } from '../lib/records.js';
import { personName } from '../lib/records-screens.js';
import { balanceOf, violationState } from '../lib/violations.js';
import { ErrorNote, Field, Loading } from '../ui.js';

/** Enough matches for an operator to pick from; a narrower search finds the rest. */
const SEARCH_LIMIT = 25;
/** A plate's permits and tickets on one screen. */
const RECORDS_LIMIT = 100;

const SEARCH_KINDS = [
  { value: 'plate', label: 'Plate' },
  { value: 'name', label: 'Name' },
  { value: 'unique_id', label: 'Unique id' },
] as const;
type SearchKind = (typeof SEARCH_KINDS)[number]['value'];
type Selection = { readonly kind: 'user' | 'vehicle'; readonly id: number };

function isSearchKind(value: string): value is SearchKind {
  return SEARCH_KINDS.some((kind) => kind.value === value);
}

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

export function UsersVehiclesScreen({ clientCode }: { clientCode: string }) {
  const [kind, setKind] = useState<SearchKind>('plate');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState<{ kind: SearchKind; text: string } | undefined>();
  const [selected, setSelected] = useState<Selection | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSelected(undefined);
    setSearch(typed.trim() === '' ? undefined : { kind, text: typed.trim() });
  };

  return (
    <section aria-labelledby="users-vehicles-title">
      <h1 id="users-vehicles-title">Users &amp; vehicles</h1>
      <form className="card inline-form" role="search" aria-label="Find users and vehicles" onSubmit={submit}>
        <Field id="search-kind" label="Search by" error={undefined}>
          {(aria) => (
            <select
              id="search-kind"
              value={kind}
              onChange={(event) => {
                if (isSearchKind(event.target.value)) setKind(event.target.value);
              }}
              {...aria}
            >
              {SEARCH_KINDS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="search-text" label="Search for" error={undefined}>
          {(aria) => <input id="search-text" value={typed} onChange={(event) => setTyped(event.target.value)} required {...aria} />}
        </Field>
        <button type="submit">Search</button>
      </form>
      {search === undefined ? (
        <p className="muted">Find a vehicle by its plate, or a user by the start of a name or by unique id.</p>
      ) : search.kind === 'plate' ? (
        <VehicleMatches clientCode={clientCode} plate={search.text} onSelect={(id) => setSelected({ kind: 'vehicle', id })} />
      ) : (
        <UserMatches clientCode={clientCode} kind={search.kind} text={search.text} onSelect={(id) => setSelected({ kind: 'user', id })} />
      )}
      {selected?.kind === 'vehicle' && <VehicleDetail clientCode={clientCode} id={selected.id} onSelect={setSelected} />}
      {selected?.kind === 'user' && <UserDetail clientCode={clientCode} id={selected.id} onSelect={setSelected} />}
    </section>
  );
}

function VehicleMatches({ clientCode, plate, onSelect }: { clientCode: string; plate: string; onSelect: (id: number) => void }) {
  const vehicles = useQuery({
    queryKey: ['vehicles', clientCode, 'plate', plate],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/vehicles', { params: { path: { code: clientCode }, query: { plate, limit: SEARCH_LIMIT } } })),
        readVehicle,
      ),
  });
  if (vehicles.isPending) return <Loading what="vehicles" />;
  if (vehicles.isError) return <ErrorNote error={vehicles.error} retry={() => void vehicles.refetch()} />;
  if (vehicles.data.items.length === 0) return <p className="muted">No vehicle with plate {plate}.</p>;
  return (
    <ul className="matches" aria-label="Vehicles found">
      {vehicles.data.items.map((vehicle) => (
        <li key={vehicle.id}>
          <button type="button" className="secondary" onClick={() => onSelect(vehicle.id)}>
            {vehicle.plate}
            {vehicle.province === null ? '' : ` (${vehicle.province})`}
          </button>{' '}
          <span className="muted">{[vehicle.make, vehicle.colour].filter((part) => part !== null).join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}

function UserMatches({ clientCode, kind, text, onSelect }: { clientCode: string; kind: 'name' | 'unique_id'; text: string; onSelect: (id: number) => void }) {
  const users = useQuery({
    queryKey: ['users', clientCode, kind, text],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/users', { params: { path: { code: clientCode }, query: { [kind]: text, limit: SEARCH_LIMIT } } })),
        readPerson,
      ),
  });
  if (users.isPending) return <Loading what="users" />;
  if (users.isError) return <ErrorNote error={users.error} retry={() => void users.refetch()} />;
  if (users.data.items.length === 0) return <p className="muted">No user {kind === 'name' ? `whose name starts with ${text}` : `with unique id ${text}`}.</p>;
  return (
    <ul className="matches" aria-label="Users found">
      {users.data.items.map((person) => (
        <li key={person.id}>
          <button type="button" className="secondary" onClick={() => onSelect(person.id)}>
            {personName(person)}
          </button>{' '}
          <span className="muted">
            {person.uniqueId}
            {person.email === null ? '' : ` · ${person.email}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

function useVehicle(clientCode: string, id: number) {
  return useQuery({
    queryKey: ['vehicle', clientCode, id],
    queryFn: async () => readVehicle(await answerOf(api.GET('/admin/v1/clients/{code}/vehicles/{id}', { params: { path: { code: clientCode, id } } }))),
  });
}

function useUser(clientCode: string, id: number) {
  return useQuery({
    queryKey: ['user', clientCode, id],
    queryFn: async () => readPerson(await answerOf(api.GET('/admin/v1/clients/{code}/users/{id}', { params: { path: { code: clientCode, id } } }))),
  });
}

function Alarm({ text }: { text: string | null }) {
  return text === null ? null : (
    <p className="alarm" role="status">
      ALARM: {text}
    </p>
  );
}

function VehicleDetail({ clientCode, id, onSelect }: { clientCode: string; id: number; onSelect: (selection: Selection) => void }) {
  const vehicle = useVehicle(clientCode, id);
  if (vehicle.isPending) return <Loading what="the vehicle" />;
  if (vehicle.isError) return <ErrorNote error={vehicle.error} retry={() => void vehicle.refetch()} />;
  const found = vehicle.data;
  return (
    <article className="card" aria-labelledby="vehicle-detail-title">
      <h2 id="vehicle-detail-title">Vehicle {found.plate}</h2>
      <VehicleFacts vehicle={found} />
      <h3>Drivers</h3>
      {found.driverUserIds.length === 0 ? (
        <p className="muted">No driver on file.</p>
      ) : (
        <ul className="matches">
          {found.driverUserIds.map((userId) => (
            <DriverLink key={userId} clientCode={clientCode} id={userId} onSelect={() => onSelect({ kind: 'user', id: userId })} />
          ))}
        </ul>
      )}
      <PlateRecords clientCode={clientCode} plate={found.plate} />
    </article>
  );
}

function VehicleFacts({ vehicle }: { vehicle: Vehicle }) {
  return (
    <>
      <Alarm text={vehicle.alert} />
      <dl className="facts">
        <dt>Province</dt>
        <dd>{vehicle.province ?? '—'}</dd>
        <dt>Make</dt>
        <dd>{vehicle.make ?? '—'}</dd>
        <dt>Colour</dt>
        <dd>{vehicle.colour ?? '—'}</dd>
      </dl>
    </>
  );
}

function DriverLink({ clientCode, id, onSelect }: { clientCode: string; id: number; onSelect: () => void }) {
  const driver = useUser(clientCode, id);
  return (
    <li>
      <button type="button" className="secondary" onClick={onSelect}>
        {driver.data === undefined ? `User ${id}` : personName(driver.data)}
      </button>
      {driver.isError && <span className="error"> (could not be read)</span>}
    </li>
  );
}

function UserDetail({ clientCode, id, onSelect }: { clientCode: string; id: number; onSelect: (selection: Selection) => void }) {
  const user = useUser(clientCode, id);
  if (user.isPending) return <Loading what="the user" />;
  if (user.isError) return <ErrorNote error={user.error} retry={() => void user.refetch()} />;
  const person: Person = user.data;
  return (
    <article className="card" aria-labelledby="user-detail-title">
      <h2 id="user-detail-title">User {personName(person)}</h2>
      <Alarm text={person.alert} />
      <dl className="facts">
        <dt>Unique id</dt>
        <dd>{person.uniqueId}</dd>
        <dt>Email</dt>
        <dd>{person.email ?? '—'}</dd>
      </dl>
      <h3>Vehicles driven</h3>
      {person.vehicleIds.length === 0 ? (
        <p className="muted">No vehicle on file.</p>
      ) : (
        person.vehicleIds.map((vehicleId) => <DrivenVehicle key={vehicleId} clientCode={clientCode} id={vehicleId} onSelect={onSelect} />)
      )}
    </article>
  );
}

function DrivenVehicle({ clientCode, id, onSelect }: { clientCode: string; id: number; onSelect: (selection: Selection) => void }) {
  const vehicle = useVehicle(clientCode, id);
  if (vehicle.isPending) return <Loading what="a vehicle" />;
  if (vehicle.isError) return <ErrorNote error={vehicle.error} retry={() => void vehicle.refetch()} />;
  return (
    <section className="card" aria-label={`Vehicle ${vehicle.data.plate}`}>
      <button type="button" className="secondary" onClick={() => onSelect({ kind: 'vehicle', id })}>
        {vehicle.data.plate}
      </button>
      <VehicleFacts vehicle={vehicle.data} />
      <PlateRecords clientCode={clientCode} plate={vehicle.data.plate} />
    </section>
  );
}

/** The permits (standard and pushed) and the tickets of a plate. */
function PlateRecords({ clientCode, plate }: { clientCode: string; plate: string }) {
  const permits = useQuery({
    queryKey: ['permits', clientCode, 'plate', plate],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/permits', { params: { path: { code: clientCode }, query: { plate, limit: RECORDS_LIMIT } } })),
        readPermitSummary,
      ),
  });
  const violations = useQuery({
    queryKey: ['plate-violations', clientCode, plate],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/violations', { params: { path: { code: clientCode }, query: { plate, limit: RECORDS_LIMIT } } })),
        readViolation,
      ),
  });
  const now = new Date();
  return (
    <>
      <h3>Permits of {plate}</h3>
      {permits.isPending ? (
        <Loading what="permits" />
      ) : permits.isError ? (
        <ErrorNote error={permits.error} retry={() => void permits.refetch()} />
      ) : permits.data.items.length === 0 ? (
        <p className="muted">No permit.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Permit</th>
                <th scope="col">Kind</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col" className="number">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {permits.data.items.map((permit) => (
                <tr key={`${permit.kind}-${permit.id}`}>
                  <th scope="row">{permit.shortName ?? `#${permit.id}`}</th>
                  <td>{permit.kind}</td>
                  <td>{when(permit.startAt)}</td>
                  <td>{when(permit.endAt)}</td>
                  <td className="number">{permit.amount ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Violations of {plate}</h3>
      {violations.isPending ? (
        <Loading what="violations" />
      ) : violations.isError ? (
        <ErrorNote error={violations.error} retry={() => void violations.refetch()} />
      ) : violations.data.items.length === 0 ? (
        <p className="muted">No violation.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Issued</th>
                <th scope="col">State</th>
                <th scope="col" className="number">
                  Owing
                </th>
              </tr>
            </thead>
            <tbody>
              {violations.data.items.map((violation) => (
                <tr key={violation.id}>
                  <th scope="row">{violation.ticket}</th>
                  <td>{when(violation.issuedAt)}</td>
                  <td>{violationState(violation, now)}</td>
                  <td className="number">{balanceOf(violation)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
