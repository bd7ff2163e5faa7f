import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors } from '../lib/problems.js';
import { readPlateFindings, type PlateFindings } from '../lib/records.js';
import { Field, Loading } from '../ui.js';

export function PlateLookupScreen({ clientCode }: { clientCode: string }) {
  const [typed, setTyped] = useState('');
  const [plate, setPlate] = useState<string | undefined>();
  const findings = useQuery({
    queryKey: ['plate', clientCode, plate],
    enabled: plate !== undefined,
    queryFn: async () =>
      readPlateFindings(await answerOf(api.GET('/admin/v1/clients/{code}/plates/{plate}', { params: { path: { code: clientCode, plate: plate ?? '' } } }))),
    // what is on file changes by the minute: an officer asking again gets it fresh
    staleTime: 0,
  });
  const errors = formErrors(findings.error, ['plate']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim() === plate) void findings.refetch();
    else setPlate(typed.trim());
  };

  return (
    <section aria-labelledby="plate-title">
      <h1 id="plate-title">Plate lookup</h1>
      <form className="card inline-form" onSubmit={submit} role="search" aria-label="Plate lookup">
        <Field id="plate" label="Plate" error={errors.fields.plate}>
          {(aria) => <input id="plate" autoCapitalize="characters" required value={typed} onChange={(event) => setTyped(event.target.value)} {...aria} />}
        </Field>
        <button type="submit">Look up</button>
      </form>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      {findings.isFetching && <Loading what={`plate ${plate ?? ''}`} />}
      {findings.data !== undefined && !findings.isFetching && <Findings findings={findings.data} />}
    </section>
  );
}

function Findings({ findings }: { findings: PlateFindings }) {
  const nothing = findings.permits.length === 0 && findings.dntt.length === 0 && findings.alarm === null;
  return (
    <article aria-labelledby="findings-title" className="findings">
      <h2 id="findings-title">{findings.plate}</h2>
      {nothing && <p className="muted">Nothing on file for {findings.plate}: no valid permit, no DNTT entry, no alarm.</p>}
      {findings.alarm !== null && (
        <section className="alarm" aria-labelledby="alarm-title">
          <h3 id="alarm-title">Alarm</h3>
          <p>{findings.alarm}</p>
        </section>
      )}
      {!nothing && (
        <section aria-labelledby="permits-title">
          <h3 id="permits-title">Permits valid now</h3>
          {findings.permits.length === 0 ? (
            <p className="muted">No valid permit.</p>
          ) : (
            <ul className="cards">
              {findings.permits.map((permit, index) => (
                <li key={index} className="card">
                  <strong>{permit.shortName}</strong> <span className="muted">{permit.type}</span>
                  <br />
                  Expires {permit.expires}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {findings.dntt.length > 0 && (
        <section aria-labelledby="dntt-title">
          <h3 id="dntt-title">Do not ticket or tow</h3>
          <ul className="cards">
            {findings.dntt.map((entry, index) => (
              <li key={index} className="card dntt">
                <strong>{entry.location === '' ? 'Every location' : entry.location}</strong>
                <br />
                {entry.start} – {entry.end}
                {entry.notes !== '' && <p>{entry.notes}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
