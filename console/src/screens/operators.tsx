import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors, problemMessage } from '../lib/problems.js';
import { readClient, readOperatorAccount, readPage, ROLES, type OperatorAccount, type Role } from '../lib/records.js';
import { ErrorNote, Field, Loading } from '../ui.js';

/** Enough for every operator of an installation on one screen. */
const LIST_LIMIT = 1000;
const OPERATORS_KEY = ['operators'] as const;
const OPERATOR_FIELDS = ['username', 'display_name', 'role', 'client', 'password'];
/** The client select's value for an installation operator (no client). */
const EVERY_CLIENT = '';

function isRole(value: string): value is Role {
  return ROLES.some((candidate) => candidate === value);
}

function state(operator: OperatorAccount): string {
  if (operator.disabled) return 'Disabled';
  if (operator.lockedUntil !== null && new Date(operator.lockedUntil) > new Date()) return `Locked until ${new Date(operator.lockedUntil).toLocaleString()}`;
  return 'Active';
}

/** The console's operator accounts: installation admins only (the server refuses everyone else). */
export function OperatorsScreen() {
  const operators = useQuery({
    queryKey: OPERATORS_KEY,
    queryFn: async () => readPage(await answerOf(api.GET('/admin/v1/operators', { params: { query: { limit: LIST_LIMIT } } })), readOperatorAccount),
  });
  return (
    <section aria-labelledby="operators-title">
      <h1 id="operators-title">Operators</h1>
      <CreateOperator />
      <h2>All operators</h2>
      {operators.isPending ? (
        <Loading what="operators" />
      ) : operators.isError ? (
        <ErrorNote error={operators.error} retry={() => void operators.refetch()} />
      ) : operators.data.items.length === 0 ? (
        <p className="muted">No operator yet: create the first one above.</p>
      ) : (
        <div className="table-scroll">
          <table className="stacked">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Client</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {operators.data.items.map((operator) => (
                <OperatorRow key={operator.id} operator={operator} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function OperatorRow({ operator }: { operator: OperatorAccount }) {
  const queryClient = useQueryClient();
  const [confirmingDisable, setConfirmingDisable] = useState(false);
  const [settingPassword, setSettingPassword] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: OPERATORS_KEY });
  const toggle = useMutation({
    mutationFn: async () => {
      const path = { params: { path: { username: operator.username } } };
      return answerOf(operator.disabled ? api.POST('/admin/v1/operators/{username}/enable', path) : api.POST('/admin/v1/operators/{username}/disable', path));
    },
    onSuccess: async () => {
      setConfirmingDisable(false);
      await refresh();
    },
  });
  return (
    <tr>
      <th scope="row">{operator.username}</th>
      <td data-label="Name">{operator.displayName}</td>
      <td data-label="Role">{operator.role}</td>
      <td data-label="Client">{operator.clientCode ?? 'every client'}</td>
      <td data-label="State">{state(operator)}</td>
      <td>
        <div className="row">
          {operator.disabled ? (
            <button type="button" className="secondary" aria-label={`Enable ${operator.username}`} onClick={() => toggle.mutate()} disabled={toggle.isPending}>
              Enable
            </button>
          ) : confirmingDisable ? (
            <span role="group" aria-label={`Disable ${operator.username}?`} className="confirm">
              Disable {operator.username}? Their sessions end now.
              <button type="button" className="danger" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
                Confirm disable
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmingDisable(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="secondary" aria-label={`Disable ${operator.username}`} onClick={() => setConfirmingDisable(true)}>
              Disable
            </button>
          )}
          {!settingPassword && (
            <button type="button" className="secondary" aria-label={`Set the password of ${operator.username}`} onClick={() => setSettingPassword(true)}>
              Set password
            </button>
          )}
        </div>
        {toggle.isError && (
          <p role="alert" className="error">
            {problemMessage(toggle.error)}
          </p>
        )}
        {settingPassword && <SetPassword operator={operator} onDone={() => setSettingPassword(false)} />}
      </td>
    </tr>
  );
}

/** A new password for one operator: it ends the operator's sessions, so the form says so before it is sent. */
function SetPassword({ operator, onDone }: { operator: OperatorAccount; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const change = useMutation({
    mutationFn: async () =>
      answerOf(api.PUT('/admin/v1/operators/{username}/password', { params: { path: { username: operator.username } }, body: { password } })),
    onSuccess: async () => {
      onDone();
      await queryClient.invalidateQueries({ queryKey: OPERATORS_KEY });
    },
  });
  const errors = formErrors(change.error, ['password']);
  const id = `password-${operator.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <form className="inline-form compact" onSubmit={submit} aria-label={`Password of ${operator.username}`} noValidate>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      <Field id={id} label={`New password for ${operator.username}`} error={errors.fields.password}>
        {(aria) => (
          <input id={id} type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} {...aria} />
        )}
      </Field>
      <p className="muted">Their sessions end when it is saved.</p>
      <div className="row">
        <button type="submit" disabled={change.isPending}>
          Save password
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CreateOperator() {
  const queryClient = useQueryClient();
  const clients = useQuery({
    queryKey: ['clients'],
    queryFn: async () => readPage(await answerOf(api.GET('/admin/v1/clients', { params: { query: { limit: 1000 } } })), readClient),
  });
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('officer');
  const [client, setClient] = useState(EVERY_CLIENT);
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: async () =>
      readOperatorAccount(
        await answerOf(
          api.POST('/admin/v1/operators', {
            body: { username, display_name: displayName, role, password, ...(client === EVERY_CLIENT ? {} : { client }) },
          }),
        ),
      ),
    onSuccess: async (operator) => {
      setCreated(operator.username);
      setUsername('');
      setDisplayName('');
      setPassword('');
      await queryClient.invalidateQueries({ queryKey: OPERATORS_KEY });
    },
  });
  const errors = formErrors(create.error, OPERATOR_FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    create.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-operator-title" noValidate>
      <h2 id="create-operator-title">Create an operator</h2>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      {created !== undefined && (
        <p role="status" className="success">
          Operator {created} created.
        </p>
      )}
      <div className="form-grid">
        <Field id="operator-username" label="Username" error={errors.fields.username}>
          {(aria) => <input id="operator-username" autoComplete="off" value={username} onChange={(event) => setUsername(event.target.value)} {...aria} />}
        </Field>
        <Field id="operator-name" label="Display name" error={errors.fields.display_name}>
          {(aria) => <input id="operator-name" value={displayName} onChange={(event) => setDisplayName(event.target.value)} {...aria} />}
        </Field>
        <Field id="operator-role" label="Role" error={errors.fields.role}>
          {(aria) => (
            <select
              id="operator-role"
              value={role}
              onChange={(event) => {
                if (isRole(event.target.value)) setRole(event.target.value);
              }}
              {...aria}
            >
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="operator-client" label="Works for" error={errors.fields.client ?? (clients.isError ? problemMessage(clients.error) : undefined)}>
          {(aria) => (
            <select id="operator-client" value={client} onChange={(event) => setClient(event.target.value)} {...aria}>
              <option value={EVERY_CLIENT}>Every client</option>
              {clients.data?.items.map((option) => (
                <option key={option.id} value={option.code}>
                  {option.code} — {option.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="operator-password" label="Password (12 characters or more)" error={errors.fields.password}>
          {(aria) => (
            <input
              id="operator-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              {...aria}
            />
          )}
        </Field>
      </div>
      <button type="submit" disabled={create.isPending}>
        Create operator
      </button>
    </form>
  );
}
