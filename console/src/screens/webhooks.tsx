import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors, problemMessage } from '../lib/problems.js';
import { readPage, readWebhookDelivery, readWebhookEndpoint, readWebhookSecret, type WebhookEndpoint, type WebhookSecret } from '../lib/records.js';
import { deliveryOutcome, endpointState, EVENT_TYPES, eventTypesLabel, eventTypesOf } from '../lib/webhooks.js';
import { ErrorNote, Field, Loading, Pager, ShownOnce } from '../ui.js';

/** Enough for every webhook endpoint of a parking office on one screen. */
const LIST_LIMIT = 1000;
const DELIVERIES_PER_PAGE = 10;

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

const endpointsKey = (clientCode: string) => ['webhooks', clientCode] as const;
const deliveriesKey = (clientCode: string, endpointId: number) => ['webhook-deliveries', clientCode, endpointId] as const;

/** The client's webhook endpoints: the change log pushed to URLs, each signed with its own secret. */
export function WebhooksSection({ clientCode }: { clientCode: string }) {
  const endpoints = useQuery({
    queryKey: endpointsKey(clientCode),
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/webhooks', { params: { path: { code: clientCode }, query: { limit: LIST_LIMIT } } })),
        readWebhookEndpoint,
      ),
  });
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">The server sends each change of this client to these URLs as it commits, signed with the endpoint's secret.</p>
      <CreateWebhook clientCode={clientCode} />
      {endpoints.isPending ? (
        <Loading what="webhook endpoints" />
      ) : endpoints.isError ? (
        <ErrorNote error={endpoints.error} retry={() => void endpoints.refetch()} />
      ) : endpoints.data.items.length === 0 ? (
        <p className="muted">No webhook endpoint yet.</p>
      ) : (
        endpoints.data.items.map((endpoint) => <EndpointCard key={endpoint.id} clientCode={clientCode} endpoint={endpoint} />)
      )}
    </section>
  );
}

function CreateWebhook({ clientCode }: { clientCode: string }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [checked, setChecked] = useState<string[]>([]);
  const [created, setCreated] = useState<WebhookSecret | undefined>();
  const create = useMutation({
    mutationFn: async () =>
      readWebhookSecret(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/webhooks', {
            params: { path: { code: clientCode } },
            body: { url, event_types: eventTypesOf(checked), ...(description === '' ? {} : { description }) },
          }),
        ),
      ),
    onSuccess: async (answer) => {
      setCreated(answer);
      setUrl('');
      setDescription('');
      setChecked([]);
      await queryClient.invalidateQueries({ queryKey: endpointsKey(clientCode) });
    },
  });
  const errors = formErrors(create.error, ['url', 'event_types', 'description']);
  const toggle = (type: string, on: boolean) => setChecked(on ? [...checked, type] : checked.filter((other) => other !== type));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    create.mutate();
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-webhook-title">
      <h3 id="create-webhook-title">Add a webhook endpoint</h3>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      {created !== undefined && <ShownOnce what="secret" value={created.secret} onDone={() => setCreated(undefined)} />}
      <Field id="webhook-url" label="URL" error={errors.fields.url}>
        {(aria) => (
          <input
            id="webhook-url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://hooks.example.org/parking"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            required
            {...aria}
          />
        )}
      </Field>
      <Field id="webhook-description" label="Description (optional)" error={errors.fields.description}>
        {(aria) => <input id="webhook-description" value={description} onChange={(event) => setDescription(event.target.value)} {...aria} />}
      </Field>
      <fieldset aria-describedby={errors.fields.event_types === undefined ? undefined : 'webhook-event-types-error'}>
        <legend>Event types (none checked: all, including types added later)</legend>
        <div className="scopes event-types">
          {EVENT_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input type="checkbox" checked={checked.includes(type)} onChange={(event) => toggle(type, event.target.checked)} />
              {type}
            </label>
          ))}
        </div>
        {errors.fields.event_types !== undefined && (
          <span id="webhook-event-types-error" className="field-error">
            {errors.fields.event_types}
          </span>
        )}
      </fieldset>
      <button type="submit" disabled={create.isPending}>
        Add endpoint
      </button>
    </form>
  );
}

/**
 * What an endpoint's card asks before doing: nothing, deleting it, or rotating its secret. The
 * question takes the focus (on Cancel, the safe answer) since the button that asked is gone.
 */
type Confirming = 'delete' | 'rotate' | undefined;

function EndpointCard({ clientCode, endpoint }: { clientCode: string; endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const titleId = `webhook-${endpoint.id}`;
  const path = { code: clientCode, id: endpoint.id };
  const [confirming, setConfirming] = useState<Confirming>();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: endpointsKey(clientCode) }),
      queryClient.invalidateQueries({ queryKey: deliveriesKey(clientCode, endpoint.id) }),
    ]);
  const setEnabled = useMutation({
    mutationFn: async (enabled: boolean) =>
      readWebhookEndpoint(await answerOf(api.PATCH('/admin/v1/clients/{code}/webhooks/{id}', { params: { path }, body: { enabled } }))),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async () => readWebhookEndpoint(await answerOf(api.DELETE('/admin/v1/clients/{code}/webhooks/{id}', { params: { path } }))),
    onSuccess: async () => {
      setConfirming(undefined);
      await queryClient.invalidateQueries({ queryKey: endpointsKey(clientCode) });
    },
  });
  const rotate = useMutation({
    mutationFn: async () => readWebhookSecret(await answerOf(api.POST('/admin/v1/clients/{code}/webhooks/{id}/rotate-secret', { params: { path } }))),
    onSuccess: async () => {
      setConfirming(undefined);
      await refresh();
    },
  });
  const test = useMutation({
    mutationFn: async () => readWebhookDelivery(await answerOf(api.POST('/admin/v1/clients/{code}/webhooks/{id}/test', { params: { path } }))),
    onSuccess: refresh,
  });
  const failure = [setEnabled, remove, rotate, test].find((mutation) => mutation.isError)?.error;
  const label = endpoint.url;

  return (
    <article className="card" aria-labelledby={titleId}>
      <h3 id={titleId} className="token">
        {endpoint.url}
      </h3>
      {endpoint.description !== null && <p>{endpoint.description}</p>}
      <dl className="facts">
        <dt>Events</dt>
        <dd>{eventTypesLabel(endpoint)}</dd>
        <dt>State</dt>
        <dd>{endpoint.enabled ? endpointState(endpoint, when) : <span className="badge warning">{endpointState(endpoint, when)}</span>}</dd>
        <dt>Delivered</dt>
        <dd>{endpoint.delivered}</dd>
        <dt>Failed</dt>
        <dd>{endpoint.failed}</dd>
        <dt>Cursor</dt>
        <dd>
          {endpoint.cursor} <span className="muted">({endpoint.pendingEvents} pending)</span>
        </dd>
        {endpoint.previousSecretUntil !== null && (
          <>
            <dt>Previous secret</dt>
            <dd>signs beside the new one until {when(endpoint.previousSecretUntil)}</dd>
          </>
        )}
      </dl>
      {rotate.data !== undefined && <ShownOnce what="secret" value={rotate.data.secret} onDone={() => rotate.reset()} />}
      {test.data !== undefined && (
        <p role="status" className={test.data.status === 'succeeded' ? 'success' : 'error'}>
          Test event: {deliveryOutcome(test.data, when)}
        </p>
      )}
      {failure !== undefined && (
        <p role="alert" className="error">
          {problemMessage(failure)}
        </p>
      )}
      {confirming === 'delete' ? (
        <div role="group" aria-label={`Delete webhook ${label}?`} className="confirm">
          Delete this endpoint and its deliveries? Nothing more is sent to it.{' '}
          <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Confirm delete
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(undefined)} autoFocus>
            Cancel
          </button>
        </div>
      ) : confirming === 'rotate' ? (
        <div role="group" aria-label={`Rotate the secret of webhook ${label}?`} className="confirm">
          A new secret signs from now on; the old one keeps signing beside it for 24 hours.{' '}
          <button type="button" className="danger" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
            Confirm rotate
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(undefined)} autoFocus>
            Cancel
          </button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="secondary" aria-label={`Send a test event to ${label}`} onClick={() => test.mutate()} disabled={test.isPending}>
            Send test event
          </button>
          <button
            type="button"
            className="secondary"
            aria-label={`${endpoint.enabled ? 'Disable' : 'Enable'} webhook ${label}`}
            onClick={() => setEnabled.mutate(!endpoint.enabled)}
            disabled={setEnabled.isPending}
          >
            {endpoint.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="secondary" aria-label={`Rotate the secret of webhook ${label}`} onClick={() => setConfirming('rotate')}>
            Rotate secret
          </button>
          <button type="button" className="secondary" aria-label={`Delete webhook ${label}`} onClick={() => setConfirming('delete')}>
            Delete
          </button>
          <button
            type="button"
            className="secondary"
            aria-expanded={showDeliveries}
            aria-controls={`${titleId}-deliveries`}
            aria-label={`Deliveries to ${label}`}
            onClick={() => setShowDeliveries(!showDeliveries)}
          >
            {showDeliveries ? 'Hide deliveries' : 'Deliveries'}
          </button>
        </div>
      )}
      <div id={`${titleId}-deliveries`}>{showDeliveries && <Deliveries clientCode={clientCode} endpoint={endpoint} />}</div>
    </article>
  );
}

function Deliveries({ clientCode, endpoint }: { clientCode: string; endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1);
  const deliveries = useQuery({
    queryKey: [...deliveriesKey(clientCode, endpoint.id), cursor],
    queryFn: async () =>
      readPage(
        await answerOf(
          api.GET('/admin/v1/clients/{code}/webhooks/{id}/deliveries', {
            params: { path: { code: clientCode, id: endpoint.id }, query: { limit: DELIVERIES_PER_PAGE, ...(cursor === undefined ? {} : { cursor }) } },
          }),
        ),
        readWebhookDelivery,
      ),
  });
  const redeliver = useMutation({
    mutationFn: async (delivery: number) =>
      readWebhookDelivery(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/webhooks/{id}/deliveries/{delivery}/redeliver', {
            params: { path: { code: clientCode, id: endpoint.id, delivery } },
          }),
        ),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: deliveriesKey(clientCode, endpoint.id) }),
        queryClient.invalidateQueries({ queryKey: endpointsKey(clientCode) }),
      ]),
  });
  const caption = `Deliveries to ${endpoint.url}, newest first`;
  if (deliveries.isPending) return <Loading what="deliveries" />;
  if (deliveries.isError) return <ErrorNote error={deliveries.error} retry={() => void deliveries.refetch()} />;
  return (
    <>
      {redeliver.data !== undefined && (
        <p role="status" className={redeliver.data.status === 'succeeded' ? 'success' : 'error'}>
          Redelivery of {redeliver.data.type}: {deliveryOutcome(redeliver.data, when)}
        </p>
      )}
      {redeliver.isError && (
        <p role="alert" className="error">
          {problemMessage(redeliver.error)}
        </p>
      )}
      {deliveries.data.items.length === 0 ? (
        <p className="muted">No delivery yet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Latency</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Last error</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.map((delivery) => (
                <tr key={delivery.id}>
                  <th scope="row">
                    {delivery.type}
                    {delivery.seq !== null && <span className="muted"> #{delivery.seq}</span>}
                    {delivery.kind !== 'event' && <span className="muted"> ({delivery.kind})</span>}
                  </th>
                  <td>{delivery.status}</td>
                  <td className="number">{delivery.attempts}</td>
                  <td>{delivery.lastStatusCode ?? '—'}</td>
                  <td className="number">{delivery.latencyMs === null ? '—' : `${delivery.latencyMs} ms`}</td>
                  <td>{delivery.nextAttemptAt === null ? '—' : when(delivery.nextAttemptAt)}</td>
                  <td>{delivery.lastError ?? '—'}</td>
                  <td>{when(delivery.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Redeliver ${delivery.type} delivery ${delivery.id}`}
                      onClick={() => redeliver.mutate(delivery.id)}
                      disabled={redeliver.isPending}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager cursors={cursors} setCursors={setCursors} nextCursor={deliveries.data.nextCursor} />
    </>
  );
}
