import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors } from '../lib/problems.js';
import { readAuditEntry, readIntegration, readOperatorAction, readPage } from '../lib/records.js';
import { auditQuery, EMPTY_AUDIT_FORM, type AuditForm } from '../lib/records-screens.js';
import { ErrorNote, Field, Loading, Pager } from '../ui.js';

const PAGE_SIZE = 25;
/** Enough for every integration of a parking office. */
const INTEGRATIONS_LIMIT = 1000;
const AUDIT_FIELDS = ['integration', 'endpoint', 'error_code', 'since', 'until'];

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** Integration API calls of the client; operator actions on it too for an installation admin (the server's rule). */
export function AuditScreen({ clientCode, showOperatorActions }: { clientCode: string; showOperatorActions: boolean }) {
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <ApiCalls clientCode={clientCode} />
      {showOperatorActions && <OperatorActions clientCode={clientCode} />}
    </section>
  );
}

function ApiCalls({ clientCode }: { clientCode: string }) {
  const [form, setForm] = useState<AuditForm>(EMPTY_AUDIT_FORM);
  const [filters, setFilters] = useState<AuditForm>(EMPTY_AUDIT_FORM);
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1);
  const integrations = useQuery({
    queryKey: ['integrations', clientCode],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/integrations', { params: { path: { code: clientCode }, query: { limit: INTEGRATIONS_LIMIT } } })),
        readIntegration,
      ),
  });
  const calls = useQuery({
    queryKey: ['audit', clientCode, filters, cursor],
    queryFn: async () =>
      readPage(
        await answerOf(
          api.GET('/admin/v1/clients/{code}/audit', { params: { path: { code: clientCode }, query: { ...auditQuery(filters), limit: PAGE_SIZE, cursor } } }),
        ),
        readAuditEntry,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: cursor === undefined ? 15_000 : false,
  });
  const errors = formErrors(calls.error, AUDIT_FIELDS);
  const set = (key: keyof AuditForm) => (value: string) => setForm({ ...form, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setFilters(form);
  };
  const integrationName = (id: number | null) => (id === null ? '—' : (integrations.data?.items.find((item) => item.id === id)?.name ?? `#${id}`));

  return (
    <>
      <h2>Integration API calls</h2>
      <form className="card form-grid" role="search" aria-label="Filter integration API calls" onSubmit={submit}>
        <Field id="audit-integration" label="Integration" error={errors.fields.integration}>
          {(aria) => (
            <select id="audit-integration" value={form.integration} onChange={(event) => set('integration')(event.target.value)} {...aria}>
              <option value="">Any</option>
              {integrations.data?.items.map((integration) => (
                <option key={integration.id} value={String(integration.id)}>
                  {integration.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="audit-endpoint" label="Endpoint" error={errors.fields.endpoint}>
          {(aria) => (
            <input
              id="audit-endpoint"
              placeholder="/api/:client/v1/permits/push"
              value={form.endpoint}
              onChange={(event) => set('endpoint')(event.target.value)}
              {...aria}
            />
          )}
        </Field>
        <Field id="audit-error-code" label="Error code" error={errors.fields.error_code}>
          {(aria) => (
            <input
              id="audit-error-code"
              inputMode="numeric"
              placeholder="0 or 90xx"
              value={form.errorCode}
              onChange={(event) => set('errorCode')(event.target.value)}
              {...aria}
            />
          )}
        </Field>
        <Field id="audit-since" label="From" error={errors.fields.since}>
          {(aria) => <input id="audit-since" type="datetime-local" value={form.since} onChange={(event) => set('since')(event.target.value)} {...aria} />}
        </Field>
        <Field id="audit-until" label="Until" error={errors.fields.until}>
          {(aria) => <input id="audit-until" type="datetime-local" value={form.until} onChange={(event) => set('until')(event.target.value)} {...aria} />}
        </Field>
        <div className="row">
          <button type="submit">Filter</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setForm(EMPTY_AUDIT_FORM);
              setFilters(EMPTY_AUDIT_FORM);
              setCursors([]);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {calls.isPending ? (
        <Loading what="integration API calls" />
      ) : calls.isError ? (
        errors.form !== undefined && <ErrorNote error={calls.error} retry={() => void calls.refetch()} />
      ) : calls.data.items.length === 0 ? (
        <p className="muted">No call matches.</p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Integration API calls, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Integration</th>
                  <th scope="col">Call</th>
                  <th scope="col">Answer</th>
                  <th scope="col" className="number">
                    ms
                  </th>
                  <th scope="col">Request id</th>
                </tr>
              </thead>
              <tbody>
                {calls.data.items.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{when(entry.at)}</th>
                    <td>{integrationName(entry.integrationId)}</td>
                    <td>
                      <code>
                        {entry.method} {entry.endpoint}
                      </code>
                    </td>
                    <td className={entry.errorCode === 0 ? undefined : 'error'}>
                      {entry.httpStatus}
                      {entry.errorCode === 0 ? '' : ` · ${entry.errorCode}`}
                    </td>
                    <td className="number">{entry.latencyMs}</td>
                    <td>
                      <code className="muted">{entry.requestId}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={calls.data.nextCursor} />
        </>
      )}
    </>
  );
}

function OperatorActions({ clientCode }: { clientCode: string }) {
  const [typedResource, setTypedResource] = useState('');
  const [resource, setResource] = useState<string | undefined>();
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1);
  const actions = useQuery({
    queryKey: ['operator-actions', clientCode, resource, cursor],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/operator-actions', { params: { query: { client: clientCode, resource, limit: PAGE_SIZE, cursor } } })),
        readOperatorAction,
      ),
    placeholderData: keepPreviousData,
  });
  const errors = formErrors(actions.error, ['resource']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setResource(typedResource.trim() === '' ? undefined : typedResource.trim());
  };
  return (
    <>
      <h2>Operator actions</h2>
      <form className="card inline-form" role="search" aria-label="Filter operator actions" onSubmit={submit}>
        <Field id="actions-resource" label="Resource" error={errors.fields.resource}>
          {(aria) => (
            <input id="actions-resource" placeholder="tokens" value={typedResource} onChange={(event) => setTypedResource(event.target.value)} {...aria} />
          )}
        </Field>
        <button type="submit">Filter</button>
      </form>
      {actions.isPending ? (
        <Loading what="operator actions" />
      ) : actions.isError ? (
        errors.form !== undefined && <ErrorNote error={actions.error} retry={() => void actions.refetch()} />
      ) : actions.data.items.length === 0 ? (
        <p className="muted">No action matches.</p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Operator actions on this client, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">On</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {actions.data.items.map((action) => (
                  <tr key={action.id}>
                    <th scope="row">{when(action.at)}</th>
                    <td>{action.actor}</td>
                    <td>
                      {action.resource} {action.action}
                    </td>
                    <td>
                      <code>
                        {Object.entries(action.params)
                          .map(([key, value]) => `${key}=${value}`)
                          .join(' ')}
                      </code>
                    </td>
                    <td className={action.status >= 400 ? 'error' : undefined}>{action.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={actions.data.nextCursor} />
        </>
      )}
    </>
  );
}
