import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, answerOf } from '../api.js';
import { download } from '../lib/csv.js';
import { problemMessage } from '../lib/problems.js';
import { readBatchDetail, readCollectionsBatch, readPage, type BatchDetail, type CollectionsBatch } from '../lib/records.js';
import { ErrorNote, Loading, Pager } from '../ui.js';

const PAGE_SIZE = 25;
/** The largest page the server answers: a download asks for as few pages as it can. */
const DOWNLOAD_PAGE_SIZE = 1000;

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

export function CollectionsScreen({ clientCode }: { clientCode: string }) {
  const [cursors, setCursors] = useState<number[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const cursor = cursors.at(-1);
  const batches = useQuery({
    queryKey: ['collections-batches', clientCode, cursor],
    queryFn: async () =>
      readPage(
        await answerOf(
          api.GET('/admin/v1/clients/{code}/collections-batches', { params: { path: { code: clientCode }, query: { limit: PAGE_SIZE, cursor } } }),
        ),
        readCollectionsBatch,
      ),
    placeholderData: keepPreviousData,
    // a batch an integration asks for appears without a reload
    refetchInterval: 30_000,
  });

  return (
    <section aria-labelledby="collections-title">
      <h1 id="collections-title">Collections</h1>
      <p className="muted">The batches of overdue violations the client&apos;s integrations sent to collections, newest first.</p>
      {selected !== undefined && <BatchRecords clientCode={clientCode} batchId={selected} onClose={() => setSelected(undefined)} />}
      {batches.isPending ? (
        <Loading what="collections batches" />
      ) : batches.isError ? (
        <ErrorNote error={batches.error} retry={() => void batches.refetch()} />
      ) : batches.data.items.length === 0 && cursor === undefined ? (
        <p className="muted">No batch yet: nothing has been sent to collections.</p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Collections batches</caption>
              <thead>
                <tr>
                  <th scope="col">Sent</th>
                  <th scope="col">Integration</th>
                  <th scope="col" className="number">
                    Records
                  </th>
                  <th scope="col" className="number">
                    Total
                  </th>
                  <th scope="col">Batch</th>
                </tr>
              </thead>
              <tbody>
                {batches.data.items.map((batch) => (
                  <BatchRow key={batch.id} batch={batch} selected={batch.id === selected} onSelect={() => setSelected(batch.id)} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={batches.data.nextCursor} />
        </>
      )}
    </section>
  );
}

function BatchRow({ batch, selected, onSelect }: { batch: CollectionsBatch; selected: boolean; onSelect: () => void }) {
  return (
    <tr aria-selected={selected}>
      <th scope="row">{when(batch.createdAt)}</th>
      <td>{batch.integrationName}</td>
      <td className="number">{batch.recordCount}</td>
      <td className="number">{batch.totalAmount}</td>
      <td>
        <button type="button" className="secondary" aria-label={`Records of the batch of ${when(batch.createdAt)}`} onClick={onSelect}>
          Records
        </button>{' '}
        <code className="muted">{batch.id.slice(0, 8)}</code>
      </td>
    </tr>
  );
}

/** Every record of a batch as the integration received it. */
async function batchJson(clientCode: string, batchId: string): Promise<string> {
  const records: unknown[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page: BatchDetail = readBatchDetail(
      await answerOf(
        api.GET('/admin/v1/clients/{code}/collections-batches/{id}', {
          params: { path: { code: clientCode, id: batchId }, query: { limit: DOWNLOAD_PAGE_SIZE, cursor } },
        }),
      ),
    );
    records.push(...page.records.map((item) => item.record));
    if (page.nextCursor === null) return `${JSON.stringify({ batch_id: batchId, records }, null, 2)}\n`;
    cursor = page.nextCursor;
  }
}

function BatchRecords({ clientCode, batchId, onClose }: { clientCode: string; batchId: string; onClose: () => void }) {
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1);
  const batch = useQuery({
    queryKey: ['collections-batch', clientCode, batchId, cursor],
    queryFn: async () =>
      readBatchDetail(
        await answerOf(
          api.GET('/admin/v1/clients/{code}/collections-batches/{id}', {
            params: { path: { code: clientCode, id: batchId }, query: { limit: PAGE_SIZE, cursor } },
          }),
        ),
      ),
    placeholderData: keepPreviousData,
  });
  const fileName = `collections-batch-${batchId}`;
  const json = useMutation({ mutationFn: () => batchJson(clientCode, batchId), onSuccess: (text) => download(`${fileName}.json`, text, 'application/json') });

  return (
    <section className="card" aria-labelledby="batch-title">
      <h2 id="batch-title">Batch {batchId}</h2>
      {batch.isPending ? (
        <Loading what="the batch's records" />
      ) : batch.isError ? (
        <ErrorNote error={batch.error} retry={() => void batch.refetch()} />
      ) : (
        <>
          <p>
            Sent {when(batch.data.createdAt)} through {batch.data.integrationName}: {batch.data.recordCount} records, {batch.data.totalAmount} in all.
          </p>
          <div className="row">
            <a className="button" href={`/admin/v1/clients/${encodeURIComponent(clientCode)}/collections-batches/${encodeURIComponent(batchId)}.csv`} download>
              Download CSV
            </a>
            <button type="button" className="secondary" onClick={() => json.mutate()} disabled={json.isPending}>
              Download JSON
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              Close
            </button>
          </div>
          {json.isError && (
            <p role="alert" className="error">
              {problemMessage(json.error)}
            </p>
          )}
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Records of the batch</caption>
              <thead>
                <tr>
                  <th scope="col">Ticket</th>
                  <th scope="col">Plate</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="number">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {batch.data.records.map((item) => (
                  <tr key={item.violationId}>
                    <th scope="row">{item.ticket}</th>
                    <td>{item.plate ?? '—'}</td>
                    <td>{when(item.issued)}</td>
                    <td>{when(item.due)}</td>
                    <td className="number">{item.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={batch.data.nextCursor} />
        </>
      )}
    </section>
  );
}
