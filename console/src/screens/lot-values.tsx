import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, answerOf } from '../api.js';
import { BarChart, type BarSeries } from '../chart.js';
import { download } from '../lib/csv.js';
import { lotValuesCsv, money, sum, taxes, utilisation } from '../lib/lot-values.js';
import { readLotValues, type LotValue } from '../lib/records.js';
import { ErrorNote, Loading } from '../ui.js';

export function LotValuesScreen({ clientCode }: { clientCode: string }) {
  const report = useQuery({
    queryKey: ['lot-values', clientCode],
    queryFn: async () => readLotValues(await answerOf(api.GET('/admin/v1/clients/{code}/lot-values', { params: { path: { code: clientCode } } }))),
  });
  return (
    <section aria-labelledby="lot-values-title">
      <h1 id="lot-values-title">Lot value report</h1>
      <p className="muted">Standard permits valid now in each lot, against its capacity, and what they were issued for.</p>
      {report.isPending ? (
        <Loading what="the lot value report" />
      ) : report.isError ? (
        <ErrorNote error={report.error} retry={() => void report.refetch()} />
      ) : report.data.length === 0 ? (
        <p className="muted">This client has no lots yet: the report has nothing to show.</p>
      ) : (
        <Report clientCode={clientCode} rows={report.data} />
      )}
    </section>
  );
}

function Report({ clientCode, rows }: { clientCode: string; rows: LotValue[] }) {
  const categories = useMemo(() => rows.map((row) => row.lotName), [rows]);
  const series = useMemo<BarSeries[]>(
    () => [
      { label: 'Projected', values: rows.map((row) => row.projected), colour: '#9bb7e0' },
      { label: 'Total', values: rows.map((row) => row.total), colour: '#1d5fbf' },
    ],
    [rows],
  );
  const capacity = rows.reduce((total, row) => total + row.capacity, 0);
  const rented = rows.reduce((total, row) => total + row.rented, 0);
  const grandTotal = sum(rows, (row) => row.total);
  return (
    <>
      <div className="row">
        <button type="button" className="secondary" onClick={() => download(`lot-values-${clientCode}.csv`, lotValuesCsv(rows))}>
          Export CSV
        </button>
      </div>
      <BarChart
        title="Projected and total value per lot"
        summary={`Bar chart of ${rows.length} lots; together ${money(grandTotal)} in total. The table below has each lot's numbers.`}
        categories={categories}
        series={series}
      />
      <div className="table-scroll">
        <table>
          <caption className="muted">Amounts in the client's currency; taxes are the sum of the three tax amounts.</caption>
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Type</th>
              <th scope="col" className="number">
                Capacity
              </th>
              <th scope="col" className="number">
                Rented
              </th>
              <th scope="col" className="number">
                Utilised
              </th>
              <th scope="col" className="number">
                Projected
              </th>
              <th scope="col" className="number">
                Amount
              </th>
              <th scope="col" className="number">
                Taxes
              </th>
              <th scope="col" className="number">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.lotName}>
                <th scope="row">{row.lotName}</th>
                <td>{row.lotType}</td>
                <td className="number">{row.capacity}</td>
                <td className="number">{row.rented}</td>
                <td className="number">{row.utilisedPct === null ? '—' : `${row.utilisedPct}%`}</td>
                <td className="number">{money(row.projected)}</td>
                <td className="number">{money(row.amount)}</td>
                <td className="number">{money(taxes(row))}</td>
                <td className="number">{money(row.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Totals</th>
              <td />
              <td className="number">{capacity}</td>
              <td className="number">{rented}</td>
              <td className="number">{utilisation(rented, capacity) === null ? '—' : `${utilisation(rented, capacity)}%`}</td>
              <td className="number">{money(sum(rows, (row) => row.projected))}</td>
              <td className="number">{money(sum(rows, (row) => row.amount))}</td>
              <td className="number">{money(sum(rows, taxes))}</td>
              <td className="number">{money(grandTotal)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
