import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, answerOf, currentSession, signIn, signOut } from './api.js';
import { problemMessage } from './lib/problems.js';
import { readClient, readPage, type Operator, type Session } from './lib/records.js';
import { Link, navigate, usePath } from './router.js';
import { AuditScreen } from './screens/audit.js';
import { CollectionsScreen } from './screens/collections.js';
import { DashboardScreen } from './screens/dashboard.js';
import { DnttAlarmsScreen } from './screens/dntt-alarms.js';
import { IntegrationsScreen } from './screens/integrations.js';
import { LotValuesScreen } from './screens/lot-values.js';
import { LotsScreen } from './screens/lots.js';
import { OperatorsScreen } from './screens/operators.js';
import { PaystationScreen } from './screens/paystation.js';
import { PlateLookupScreen } from './screens/plate-lookup.js';
import { UsersVehiclesScreen } from './screens/users-vehicles.js';
import { ViolationsScreen } from './screens/violations.js';
import { ErrorNote, Loading } from './ui.js';

export const SESSION_KEY = ['session'] as const;

/**
 * Starts over as another operator (or none): what the last one saw is forgotten, except the
 * session query itself, whose observer (App) must see the new value.
 */
function switchSession(queryClient: QueryClient, session: Session | null): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  queryClient.setQueryData(SESSION_KEY, session);
}

interface Screen {
  readonly path: string;
  readonly label: string;
  /** Who may see it, following the server's role table (docs/admin.md): the others get no link and a "not allowed" note. */
  readonly allows: (operator: Operator) => boolean;
  readonly render: (clientCode: string, operator: Operator) => ReactNode;
}

const EVERYONE = (): boolean => true;
/** The client's settings (integrations, tokens, the audit) and its money (lot values, collections): admins and finance, not officers. */
const ADMINS_AND_FINANCE = (operator: Operator): boolean => operator.role !== 'officer';
/** The webhook endpoints (they carry the client's data to other systems): admins only. */
const ADMINS = (operator: Operator): boolean => operator.role === 'admin';
/** The operator accounts: installation admins only (an admin of one client is refused too). */
const INSTALLATION_ADMINS = (operator: Operator): boolean => operator.role === 'admin' && operator.clientCode === null;

/**
 * The screens built so far, in the navigation's order (Dashboard, Lots, Paystation status, Lot
 * value report, Plate lookup, Violations, Collections, DNTT & alarms, Users & vehicles,
 * Integrations, Audit, Operators): a screen gets its link when it exists.
 */
const SCREENS: readonly Screen[] = [
  { path: '/dashboard', label: 'Dashboard', allows: EVERYONE, render: (clientCode) => <DashboardScreen clientCode={clientCode} /> },
  { path: '/lots', label: 'Lots', allows: EVERYONE, render: (clientCode) => <LotsScreen clientCode={clientCode} /> },
  { path: '/paystation-status', label: 'Paystation status', allows: EVERYONE, render: (clientCode) => <PaystationScreen clientCode={clientCode} /> },
  {
    path: '/lot-value-report',
    label: 'Lot value report',
    allows: ADMINS_AND_FINANCE,
    render: (clientCode) => <LotValuesScreen clientCode={clientCode} />,
  },
  { path: '/plate-lookup', label: 'Plate lookup', allows: EVERYONE, render: (clientCode) => <PlateLookupScreen clientCode={clientCode} /> },
  { path: '/violations', label: 'Violations', allows: EVERYONE, render: (clientCode) => <ViolationsScreen clientCode={clientCode} /> },
  { path: '/collections', label: 'Collections', allows: ADMINS_AND_FINANCE, render: (clientCode) => <CollectionsScreen clientCode={clientCode} /> },
  { path: '/dntt-alarms', label: 'DNTT & alarms', allows: EVERYONE, render: (clientCode) => <DnttAlarmsScreen clientCode={clientCode} /> },
  {
    path: '/users-vehicles',
    label: 'Users & vehicles',
    allows: EVERYONE,
    render: (clientCode) => <UsersVehiclesScreen clientCode={clientCode} />,
  },
  {
    path: '/integrations',
    label: 'Integrations',
    allows: ADMINS_AND_FINANCE,
    render: (clientCode, operator) => <IntegrationsScreen clientCode={clientCode} showWebhooks={ADMINS(operator)} />,
  },
  {
    path: '/audit',
    label: 'Audit',
    allows: ADMINS_AND_FINANCE,
    render: (clientCode, operator) => <AuditScreen clientCode={clientCode} showOperatorActions={INSTALLATION_ADMINS(operator)} />,
  },
  { path: '/operators', label: 'Operators', allows: INSTALLATION_ADMINS, render: () => <OperatorsScreen /> },
];

export function App() {
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: currentSession, staleTime: Infinity });
  if (session.isPending) return <Loading what="the console" />;
  if (session.isError) return <ErrorNote error={session.error} retry={() => void session.refetch()} />;
  return session.data === null ? <SignIn /> : <Shell session={session.data} />;
}

function SignIn() {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const attempt = useMutation({
    mutationFn: () => signIn(username, password),
    onSuccess: (session) => switchSession(queryClient, session),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    attempt.mutate();
  };
  return (
    <main className="sign-in">
      <h1>Parking console</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        {attempt.isError && (
          <p role="alert" className="error">
            {problemMessage(attempt.error)}
          </p>
        )}
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" disabled={attempt.isPending}>
          Sign in
        </button>
      </form>
    </main>
  );
}

const CHOSEN_CLIENT = 'parking-console.client';

/** The client an installation admin works on: chosen from the clients list, remembered in this browser. */
function ClientPicker({ value, onChange }: { value: string | undefined; onChange: (code: string) => void }) {
  const clients = useQuery({
    queryKey: ['clients'],
    queryFn: async () => readPage(await answerOf(api.GET('/admin/v1/clients', { params: { query: { limit: 1000 } } })), readClient),
  });
  const first = clients.data?.items[0]?.code;
  useEffect(() => {
    if (value === undefined && first !== undefined) onChange(first);
  }, [value, first, onChange]);
  if (clients.isPending) return <span className="muted">Loading clients…</span>;
  if (clients.isError) return <span className="error">{problemMessage(clients.error)}</span>;
  return (
    <label className="client-picker">
      Client
      <select value={value ?? ''} onChange={(event) => onChange(event.target.value)}>
        {clients.data.items.map((client) => (
          <option key={client.id} value={client.code}>
            {client.code} — {client.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Shell({ session }: { session: Session }) {
  const queryClient = useQueryClient();
  const path = usePath();
  const { operator } = session;
  const [chosenClient, setChosenClient] = useState<string | undefined>(() => window.localStorage.getItem(CHOSEN_CLIENT) ?? undefined);
  const chooseClient = (code: string) => {
    window.localStorage.setItem(CHOSEN_CLIENT, code);
    setChosenClient(code);
  };
  const clientCode = operator.clientCode ?? chosenClient;
  const leave = useMutation({
    mutationFn: signOut,
    onSettled: () => {
      switchSession(queryClient, null);
      navigate('/', { replace: true });
    },
  });
  const screen = SCREENS.find((candidate) => candidate.path === path);
  const linked = SCREENS.filter((candidate) => candidate.allows(operator));
  const firstScreen = linked[0];
  useEffect(() => {
    if (screen === undefined && firstScreen !== undefined) navigate(firstScreen.path, { replace: true });
  }, [screen, firstScreen]);

  return (
    <div className="shell">
      <header>
        <span className="brand">Parking console</span>
        {operator.clientCode === null ? <ClientPicker value={chosenClient} onChange={chooseClient} /> : <span className="client">{operator.clientCode}</span>}
        <span className="operator" title={`${operator.username} (${operator.role})`}>
          {operator.displayName}
        </span>
        <button type="button" className="secondary" onClick={() => leave.mutate()} disabled={leave.isPending}>
          Sign out
        </button>
      </header>
      <nav aria-label="Screens">
        <ul>
          {linked.map((item) => (
            <li key={item.path}>
              <Link to={item.path}>{item.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        {clientCode === undefined ? (
          <Loading what="the clients" />
        ) : screen === undefined ? null : screen.allows(operator) ? (
          <div key={clientCode}>{screen.render(clientCode, operator)}</div>
        ) : (
          <NotAllowed screen={screen} operator={operator} />
        )}
      </main>
    </div>
  );
}

/** A screen the operator's role may not use, reached by its address: said plainly, with no request made. */
function NotAllowed({ screen, operator }: { screen: Screen; operator: Operator }) {
  return (
    <section aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">{screen.label}</h1>
      <p role="alert" className="error">
        Not allowed: your role ({operator.role}
        {operator.clientCode === null ? '' : ` of client ${operator.clientCode}`}) may not use this screen.
      </p>
    </section>
  );
}
