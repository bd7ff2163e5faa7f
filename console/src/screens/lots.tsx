import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { formErrors } from '../lib/problems.js';
import { readLot, readPage } from '../lib/records.js';
import { ErrorNote, Field, Loading, Pager } from '../ui.js';

const PAGE_SIZE = 25;
const LOT_TYPES = [
  { value: 'Y', label: 'Yearly' },
  { value: 'M', label: 'Monthly' },
  { value: 'S', label: 'Semester' },
  { value: 'O', label: 'Other' },
] as const;
const LOT_FIELDS = ['name', 'lot_type', 'default_cost', 'capacity', 'tax_rate1', 'tax_rate2'];

function lotTypeLabel(code: string): string {
  return LOT_TYPES.find((type) => type.value === code)?.label ?? code;
}

/** A number typed in a form, or left out of the request when the field is blank (the server's default applies). */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

export function LotsScreen({ clientCode }: { clientCode: string }) {
  // The cursors of the pages before this one, for going back: the API pages forward only.
  const [cursors, setCursors] = useState<number[]>([]);
  const cursor = cursors.at(-1);
  const lots = useQuery({
    queryKey: ['lots', clientCode, cursor],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/lots', { params: { path: { code: clientCode }, query: { limit: PAGE_SIZE, cursor } } })),
        readLot,
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <section aria-labelledby="lots-title">
      <h1 id="lots-title">Lots</h1>
      <CreateLot clientCode={clientCode} />
      <h2>All lots</h2>
      {lots.isPending ? (
        <Loading what="lots" />
      ) : lots.isError ? (
        <ErrorNote error={lots.error} retry={() => void lots.refetch()} />
      ) : lots.data.items.length === 0 && cursor === undefined ? (
        <p className="muted">No lots yet: create the first one above.</p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Default cost</th>
                  <th scope="col">Capacity</th>
                  <th scope="col">Tax rates (%)</th>
                </tr>
              </thead>
              <tbody>
                {lots.data.items.map((lot) => (
                  <tr key={lot.id}>
                    <th scope="row">{lot.name}</th>
                    <td>{lotTypeLabel(lot.lotType)}</td>
                    <td>{lot.defaultCost ?? '—'}</td>
                    <td>{lot.capacity ?? '—'}</td>
                    <td>{[lot.taxRate1, lot.taxRate2].map((rate) => rate ?? '—').join(' / ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={lots.data.nextCursor} />
        </>
      )}
    </section>
  );
}

function CreateLot({ clientCode }: { clientCode: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [lotType, setLotType] = useState('Y');
  const [defaultCost, setDefaultCost] = useState('');
  const [capacity, setCapacity] = useState('');
  const [taxRate1, setTaxRate1] = useState('');
  const [taxRate2, setTaxRate2] = useState('');
  const [created, setCreated] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: async () =>
      readLot(
        await answerOf(
          api.POST('/admin/v1/clients/{code}/lots', {
            params: { path: { code: clientCode } },
            body: {
              name,
              lot_type: lotType,
              // an amount stays text: a number could be rounded on its way to the server
              ...(defaultCost.trim() === '' ? {} : { default_cost: defaultCost.trim() }),
              ...(optionalNumber(capacity) === undefined ? {} : { capacity: optionalNumber(capacity) }),
              ...(optionalNumber(taxRate1) === undefined ? {} : { tax_rate1: optionalNumber(taxRate1) }),
              ...(optionalNumber(taxRate2) === undefined ? {} : { tax_rate2: optionalNumber(taxRate2) }),
            },
          }),
        ),
      ),
    onSuccess: async (lot) => {
      setCreated(lot.name);
      setName('');
      setDefaultCost('');
      setCapacity('');
      setTaxRate1('');
      setTaxRate2('');
      await queryClient.invalidateQueries({ queryKey: ['lots', clientCode] });
    },
  });
  const errors = formErrors(create.error, LOT_FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    create.mutate();
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-lot-title" noValidate>
      <h2 id="create-lot-title">Create a lot</h2>
      {errors.form !== undefined && (
        <p role="alert" className="error">
          {errors.form}
        </p>
      )}
      {created !== undefined && (
        <p role="status" className="success">
          Lot {created} created.
        </p>
      )}
      <div className="form-grid">
        <Field id="lot-name" label="Name" error={errors.fields.name}>
          {(aria) => <input id="lot-name" value={name} onChange={(event) => setName(event.target.value)} {...aria} />}
        </Field>
        <Field id="lot-type" label="Type" error={errors.fields.lot_type}>
          {(aria) => (
            <select id="lot-type" value={lotType} onChange={(event) => setLotType(event.target.value)} {...aria}>
              {LOT_TYPES.map((type) => (
                <option key={type.value} value={type.value}>
                  {type.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="lot-cost" label="Default cost" error={errors.fields.default_cost}>
          {(aria) => <input id="lot-cost" inputMode="decimal" value={defaultCost} onChange={(event) => setDefaultCost(event.target.value)} {...aria} />}
        </Field>
        <Field id="lot-capacity" label="Capacity" error={errors.fields.capacity}>
          {(aria) => <input id="lot-capacity" type="number" min={0} value={capacity} onChange={(event) => setCapacity(event.target.value)} {...aria} />}
        </Field>
        <Field id="lot-tax1" label="Tax rate 1 (%)" error={errors.fields.tax_rate1}>
          {(aria) => (
            <input id="lot-tax1" type="number" min={0} max={100} step="any" value={taxRate1} onChange={(event) => setTaxRate1(event.target.value)} {...aria} />
          )}
        </Field>
        <Field id="lot-tax2" label="Tax rate 2 (%)" error={errors.fields.tax_rate2}>
          {(aria) => (
            <input id="lot-tax2" type="number" min={0} max={100} step="any" value={taxRate2} onChange={(event) => setTaxRate2(event.target.value)} {...aria} />
          )}
        </Field>
      </div>
      <button type="submit" disabled={create.isPending}>
        Create lot
      </button>
    </form>
  );
}
