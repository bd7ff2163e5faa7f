import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { filtersFromSearch, NO_FILTERS, paystationQuery, searchOf, type PaystationFilters } from '../lib/paystation.js';
import { readPage, readPaystationPermit, type PaystationPermit } from '../lib/records.js';
import { ErrorNote, Loading, Pager } from '../ui.js';

const PAGE_SIZE = 50;

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

/**
 * The Paystation status page: the permits pay stations and parking apps pushed, newest first,
 * with their promo codes and whether their zone reached a lot; filtered on the server, paged by
 * its cursor, and exported as CSV with the same filters.
 */
export function PaystationScreen({ clientCode }: { clientCode: string }) {
  // the filters being typed, and the ones applied (the address carries them)
  const [draft, setDraft] = useState<PaystationFilters>(() => filtersFromSearch(window.location.search));
  const [applied, setApplied] = useState<PaystationFilters>(draft);
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1);
  const query = paystationQuery(applied);
  const permits = useQuery({
    queryKey: ['paystation', clientCode, query, cursor],
    queryFn: async () =>
      readPage(
        await answerOf(
          api.GET('/admin/v1/clients/{code}/pushed-permits', { params: { path: { code: clientCode }, query: { ...query, limit: PAGE_SIZE, cursor } } }),
        ),
        readPaystationPermit,
      ),
    placeholderData: keepPreviousData,
  });
  const apply = (filters: PaystationFilters) => {
    setApplied(filters);
    setCursors([]);
    window.history.replaceState(null, '', `${window.location.pathname}${searchOf(paystationQuery(filters))}`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const set = <Key extends keyof PaystationFilters>(key: Key, value: PaystationFilters[Key]) => setDraft({ ...draft, [key]: value });
  const filtered = searchOf(query) !== '';

  return (
    <section aria-labelledby="paystation-title">
      <h1 id="paystation-title">Paystation status</h1>
      <form className="card filters" onSubmit={submit} aria-label="Filters">
        <div className="form-grid">
          <div className="field">
            <label htmlFor="ps-plate">Plate</label>
            <input id="ps-plate" value={draft.plate} onChange={(event) => set('plate', event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ps-zone">Zone as sent</label>
            <input id="ps-zone" value={draft.zone} onChange={(event) => set('zone', event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ps-integration">Integration (name or id)</label>
            <input id="ps-integration" value={draft.integration} onChange={(event) => set('integration', event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ps-promo">Promo code</label>
            <input id="ps-promo" value={draft.promoCode} onChange={(event) => set('promoCode', event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ps-validity">Valid</label>
            <select
              id="ps-validity"
              value={draft.validity}
              onChange={(event) => set('validity', event.target.value === 'now' ? 'now' : event.target.value === 'at' ? 'at' : 'any')}
            >
              <option value="any">Any time</option>
              <option value="now">Now</option>
              <option value="at">At a date…</option>
            </select>
          </div>
          {draft.validity === 'at' && (
            <div className="field">
              <label htmlFor="ps-valid-at">Valid at</label>
              <input id="ps-valid-at" type="datetime-local" value={draft.validAt} onChange={(event) => set('validAt', event.target.value)} />
            </div>
          )}
          <div className="field">
            <label htmlFor="ps-from">Starting from</label>
            <input id="ps-from" type="datetime-local" value={draft.from} onChange={(event) => set('from', event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ps-to">Starting before</label>
            <input id="ps-to" type="datetime-local" value={draft.to} onChange={(event) => set('to', event.target.value)} />
          </div>
          <div className="field checkbox">
            <input id="ps-disconnected" type="checkbox" checked={draft.disconnectedOnly} onChange={(event) => set('disconnectedOnly', event.target.checked)} />
            <label htmlFor="ps-disconnected">Disconnected only</label>
          </div>
        </div>
        <div className="actions">
          <button type="submit">Apply filters</button>{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              apply(NO_FILTERS);
            }}
          >
            Clear filters
          </button>{' '}
          <a className="button secondary" href={`/admin/v1/clients/${encodeURIComponent(clientCode)}/pushed-permits.csv${searchOf(query)}`} download>
            Export CSV{filtered ? ' (filtered)' : ''}
          </a>
        </div>
      </form>
      {permits.isPending ? (
        <Loading what="pushed permits" />
      ) : permits.isError ? (
        <ErrorNote error={permits.error} retry={() => void permits.refetch()} />
      ) : permits.data.items.length === 0 && cursor === undefined ? (
        <p className="muted">{filtered ? 'No pushed permit matches these filters.' : 'No permit has been pushed yet.'}</p>
      ) : (
        <>
          <div className="table-scroll" aria-busy={permits.isFetching}>
            <table>
              <caption className="visually-hidden">Pushed permits, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Plate</th>
                  <th scope="col">Zone</th>
                  <th scope="col">Lot</th>
                  <th scope="col">Start</th>
                  <th scope="col">End</th>
                  <th scope="col">Integration</th>
                  <th scope="col">Promo code</th>
                  <th scope="col" className="number">
                    Amount
                  </th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {permits.data.items.map((permit) => (
                  <PermitRow key={permit.id} permit={permit} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={permits.data.nextCursor} />
        </>
      )}
    </section>
  );
}

function PermitRow({ permit }: { permit: PaystationPermit }) {
  const now = Date.now();
  const state = permit.deletedAt !== null ? 'Deleted' : Date.parse(permit.end) <= now ? 'Expired' : Date.parse(permit.start) > now ? 'Upcoming' : 'Valid';
  return (
    <tr>
      <th scope="row">{permit.plate}</th>
      <td>{permit.zone ?? '—'}</td>
      <td>{permit.disconnected ? <span className="badge warning">Disconnected</span> : (permit.lot ?? '—')}</td>
      <td>{when(permit.start)}</td>
      <td>{when(permit.end)}</td>
      <td>
        {permit.integration} <span className="muted">({permit.origin})</span>
      </td>
      <td>{permit.promoCode ?? '—'}</td>
      <td className="number">{permit.amount === null ? '—' : `${permit.amount} ${permit.currency}`}</td>
      <td>{state}</td>
    </tr>
  );
}
