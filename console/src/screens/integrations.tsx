import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors, problemMessage } from '../lib/problems.js';
import { readIntegration, readIssuedToken, readPage, readToken, type Integration, type IssuedToken, type TokenRecord } from '../lib/records.js';
import { GRACE_CHOICES, tokenState } from '../lib/records-screens.js';
import { TOKEN_SCOPES } from '../lib/scopes.js';
import { ErrorNote, Field, Loading, ShownOnce } from '../ui.js';
import { WebhooksSection } from './webhooks.js';

/** Enough for every integration and token of a parking office on one screen. */
const LIST_LIMIT = 1000;

function when(iso: string | null): string {
  return iso === null ? 'never' : new Date(iso).toLocaleString();
}

/** `showWebhooks`: whether the operator may manage webhooks (the server lets admins only). */
export function IntegrationsScreen({ clientCode, showWebhooks }: { clientCode: string; showWebhooks: boolean }) {
  const integrations = useQuery({
    queryKey: ['integrations', clientCode],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/integrations', { params: { path: { code: clientCode }, query: { limit: LIST_LIMIT } } })),
        readIntegration,
      ),
  });
  const tokens = useQuery({
    queryKey: ['tokens', clientCode],
    queryFn: async () =>
      readPage(await answerOf(api.GET('/admin/v1/clients/{code}/tokens', { params: { path: { code: clientCode }, query: { limit: LIST_LIMIT } } })), readToken),
  });

  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      {integrations.isPending || tokens.isPending ? (
        <Loading what="integrations and tokens" />
      ) : integrations.isError ? (
        <ErrorNote error={integrations.error} retry={() => void integrations.refetch()} />
      ) : tokens.isError ? (
        <ErrorNote error={tokens.error} retry={() => void tokens.refetch()} />
      ) : integrations.data.items.length === 0 ? (
        <p className="muted">This client has no integration yet.</p>
      ) : (
        <>
          <CreateToken clientCode={clientCode} integrations={integrations.data.items} />
          {integrations.data.items.map((integration) => (
            <IntegrationTokens
              key={integration.id}
              clientCode={clientCode}
              integration={integration}
              tokens={tokens.data.items.filter((token) => token.integrationId === integration.id)}
            />
          ))}
        </>
      )}
      {showWebhooks && <WebhooksSection clientCode={clientCode} />}
    </section>
  );
}

function IntegrationTokens({ clientCode, integration, tokens }: { clientCode: string; integration: Integration; tokens: TokenRecord[] }) {
  const titleId = `integration-${integration.id}`;
  const [rotating, setRotating] = useState<TokenRecord | undefined>();
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {integration.name} {integration.origin !== null && <span className="muted">({integration.origin})</span>}
      </h2>
      {tokens.length === 0 ? (
        <p className="muted">No token issued.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <TokenRow key={token.id} clientCode={clientCode} token={token} onRotate={() => setRotating(token)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rotating !== undefined && <RotateToken key={rotating.id} clientCode={clientCode} token={rotating} onDone={() => setRotating(undefined)} />}
    </section>
  );
}

/**
 * Rotating a token: a grace period is chosen and confirmed first; the new token is shown once
 * (with its copy button), and the old one works until the grace period ends.
 */
function RotateToken({ clientCode, token, onDone }: { clientCode: string; token: TokenRecord; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [grace, setGrace] = useState<number>(GRACE_CHOICES[1].seconds);
  const rotate = useMutation({
    mutationFn: async () =>
      readIssuedToken(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/tokens/{id}/rotate', {
            params: { path: { code: clientCode, id: token.id } },
            body: { grace_seconds: grace },
          }),
        ),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens', clientCode] }),
  });
  const label = `${token.prefix}…`;
  const errors = formErrors(rotate.error, ['grace_seconds']);
  if (rotate.data !== undefined) return <IssuedTokenNote token={rotate.data} onDone={onDone} />;
  return (
    <form
      className="card"
      aria-labelledby="rotate-token-title"
      onSubmit={(event) => {
        event.preventDefault();
        rotate.mutate();
      }}
    >
      <h3 id="rotate-token-title">Rotate token {label}</h3>
      <p>A new token with the same scopes replaces it. The old one keeps working during the grace period, then is refused.</p>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      <Field id={`rotate-grace-${token.id}`} label="Grace period" error={errors.fields.grace_seconds}>
        {(aria) => (
          <select id={`rotate-grace-${token.id}`} value={grace} onChange={(event) => setGrace(Number(event.target.value))} {...aria}>
            {GRACE_CHOICES.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="row">
        <button type="submit" className="danger" disabled={rotate.isPending}>
          Confirm rotate
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function TokenRow({ clientCode, token, onRotate }: { clientCode: string; token: TokenRecord; onRotate: () => void }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: async () => answerOf(api.DELETE('/admin/v1/clients/{code}/tokens/{id}', { params: { path: { code: clientCode, id: token.id } } })),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['tokens', clientCode] });
    },
  });
  const label = `${token.prefix}…`;
  const state = tokenState(token, new Date(), when);
  return (
    <tr>
      <th scope="row">
        <code>{label}</code>
      </th>
      <td>{token.scopes.length === TOKEN_SCOPES.length ? 'all' : token.scopes.join(', ')}</td>
      <td>{when(token.createdAt)}</td>
      <td>{when(token.lastUsedAt)}</td>
      <td>
        {state !== 'Active' && <span className="muted">{state} </span>}
        {token.revokedAt !== null || state.startsWith('Expired') ? null : confirming ? (
          <span role="group" aria-label={`Revoke token ${label}?`} className="confirm">
            Revoke {label}? Integrations using it stop working.{' '}
            <button type="button" className="danger" onClick={() => revoke.mutate()} disabled={revoke.isPending}>
              Confirm revoke
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <span className="row">
            {token.rotatedTo === null && (
              <button type="button" className="secondary" aria-label={`Rotate token ${label}`} onClick={onRotate}>
                Rotate
              </button>
            )}
            <button type="button" className="secondary" aria-label={`Revoke token ${label}`} onClick={() => setConfirming(true)}>
              Revoke
            </button>
          </span>
        )}
        {revoke.isError && (
          <span role="alert" className="error">
            {problemMessage(revoke.error)}
          </span>
        )}
      </td>
    </tr>
  );
}

function CreateToken({ clientCode, integrations }: { clientCode: string; integrations: Integration[] }) {
  const queryClient = useQueryClient();
  const [integrationId, setIntegrationId] = useState(integrations[0]?.id);
  const [scopes, setScopes] = useState<string[]>([...TOKEN_SCOPES]);
  const [issued, setIssued] = useState<IssuedToken | undefined>();
  const create = useMutation({
    mutationFn: async () =>
      readIssuedToken(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/tokens', {
            params: { path: { code: clientCode } },
            body: { integration: integrationId ?? '', scopes },
          }),
        ),
      ),
    onSuccess: async (token) => {
      setIssued(token);
      await queryClient.invalidateQueries({ queryKey: ['tokens', clientCode] });
    },
  });
  const errors = formErrors(create.error, ['integration', 'scopes']);
  const toggle = (scope: string, on: boolean) => setScopes(on ? [...scopes, scope] : scopes.filter((other) => other !== scope));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setIssued(undefined);
    create.mutate();
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-token-title">
      <h2 id="create-token-title">Issue a token</h2>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      {issued !== undefined && <IssuedTokenNote token={issued} onDone={() => setIssued(undefined)} />}
      <Field id="token-integration" label="Integration" error={errors.fields.integration}>
        {(aria) => (
          <select id="token-integration" value={integrationId} onChange={(event) => setIntegrationId(Number(event.target.value))} {...aria}>
            {integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset aria-describedby={errors.fields.scopes === undefined ? undefined : 'token-scopes-error'}>
        <legend>Scopes</legend>
        <div className="scopes">
          {TOKEN_SCOPES.map((scope) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} />
              {scope}
            </label>
          ))}
        </div>
        {errors.fields.scopes !== undefined && (
          <span id="token-scopes-error" className="field-error">
            {errors.fields.scopes}
          </span>
        )}
      </fieldset>
      <button type="submit" disabled={create.isPending}>
        Issue token
      </button>
    </form>
  );
}

/** The token, shown this once: the server keeps only its hash. */
function IssuedTokenNote({ token, onDone }: { token: IssuedToken; onDone: () => void }) {
  return <ShownOnce what="token" value={token.token} onDone={onDone} />;
}
