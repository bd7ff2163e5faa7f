import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, answerOf } from '../api.js';
import { BarChart, type BarSeries } from '../chart.js';
import { utilisation } from '../lib/lot-values.js';
import { readDashboard, type LotOccupancy } from '../lib/records.js';
import { Link } from '../router.js';
import { ErrorNote, Loading } from '../ui.js';

/** Permits valid now per lot against its capacity, and the overdue violations: refreshed every minute while shown. */
export function DashboardScreen({ clientCode }: { clientCode: string }) {
  const dashboard = useQuery({
    queryKey: ['dashboard', clientCode],
    queryFn: async () => readDashboard(await answerOf(api.GET('/admin/v1/clients/{code}/dashboard', { params: { path: { code: clientCode } } }))),
    refetchInterval: 60_000,
  });
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      {dashboard.isPending ? (
        <Loading what="the dashboard" />
      ) : dashboard.isError ? (
        <ErrorNote error={dashboard.error} retry={() => void dashboard.refetch()} />
      ) : (
        <>
          <ul className="stats">
            <li className="card">
              <span className="stat-value">{dashboard.data.overdueViolations}</span>
              <span className="stat-label">overdue violations</span>
              <Link to="/violations">Violations</Link>
            </li>
            <li className="card">
              <span className="stat-value">{dashboard.data.disconnectedPermits}</span>
              <span className="stat-label">disconnected records (pushed permits whose zone named no lot)</span>
              <Link to="/paystation-status?disconnected=true">Disconnected records on Paystation status</Link>
            </li>
            <li className="card">
              <span className="stat-value">{dashboard.data.lots.reduce((total, lot) => total + lot.validPermits, 0)}</span>
              <span className="stat-label">permits valid now, in {dashboard.data.lots.length} lots</span>
            </li>
          </ul>
          {dashboard.data.lots.length === 0 ? <p className="muted">This client has no lots yet.</p> : <Occupancy lots={dashboard.data.lots} />}
        </>
      )}
    </section>
  );
}

function Occupancy({ lots }: { lots: LotOccupancy[] }) {
  const categories = useMemo(() => lots.map((lot) => lot.name), [lots]);
  const series = useMemo<BarSeries[]>(
    () => [
      { label: 'Valid permits now', values: lots.map((lot) => lot.validPermits), colour: '#1d5fbf' },
      { label: 'Capacity', values: lots.map((lot) => lot.capacity), colour: '#c9d3e0' },
    ],
    [lots],
  );
  const full = lots.filter((lot) => lot.capacity > 0 && lot.validPermits >= lot.capacity).length;
  return (
    <>
      <BarChart
        title="Permits valid now against capacity"
        summary={`Bar chart of ${lots.length} lots; ${full} at or over capacity. The table below has each lot's numbers.`}
        categories={categories}
        series={series}
      />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col" className="number">
                Valid permits now
              </th>
              <th scope="col" className="number">
                Capacity
              </th>
              <th scope="col" className="number">
                Used
              </th>
            </tr>
          </thead>
          <tbody>
            {lots.map((lot) => {
              const used = utilisation(lot.validPermits, lot.capacity);
              return (
                <tr key={lot.id}>
                  <th scope="row">{lot.name}</th>
                  <td className="number">{lot.validPermits}</td>
                  <td className="number">{lot.capacity}</td>
                  <td className={used !== null && used >= 100 ? 'number error' : 'number'}>{used === null ? '—' : `${used}%`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
