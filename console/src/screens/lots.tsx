import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, answerOf } from '../api.js';
import { LOT_FIELDS, lotChanges, lotDraftOf, lotDraftProblems, type LotDraft, type LotField } from '../lib/lot-form.js';
import { formErrors, problemMessage } from '../lib/problems.js';
import { readLot, readPage, readZoneAlias, type Lot, type ZoneAlias } from '../lib/records.js';
import { ErrorNote, Field, Loading, Pager } from '../ui.js';

const PAGE_SIZE = 25;
const LOT_TYPES = [
  { value: 'Y', label: 'Yearly' },
  { value: 'M', label: 'Monthly' },
  { value: 'S', label: 'Semester' },
  { value: 'O', label: 'Other' },
] as const;

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
  // the lot whose details (edit form, zone aliases) are open
  const [openLotId, setOpenLotId] = useState<number | undefined>();
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
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
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
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Edit lot ${lot.name} and its zone aliases`}
                        aria-expanded={openLotId === lot.id}
                        aria-controls="lot-details"
                        onClick={() => setOpenLotId(openLotId === lot.id ? undefined : lot.id)}
                      >
                        {openLotId === lot.id ? 'Close' : 'Edit'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} nextCursor={lots.data.nextCursor} />
          {(() => {
            const open = lots.data.items.find((lot) => lot.id === openLotId);
            return open === undefined ? null : <LotDetails key={open.id} clientCode={clientCode} lot={open} close={() => setOpenLotId(undefined)} />;
          })()}
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

/** One lot's details: its edit form and its zone aliases. */
function LotDetails({ clientCode, lot, close }: { clientCode: string; lot: Lot; close: () => void }) {
  // opened from a row far above: the details take the focus, so the keyboard and the eye go on from there
  const details = useRef<HTMLDivElement>(null);
  useEffect(() => {
    details.current?.scrollIntoView({ block: 'start' });
    details.current?.focus();
  }, []);
  return (
    <div id="lot-details" className="lot-details" ref={details} tabIndex={-1} aria-label={`Details of ${lot.name}`} role="region">
      <EditLot clientCode={clientCode} lot={lot} close={close} />
      <ZoneAliases clientCode={clientCode} lot={lot} />
    </div>
  );
}

/**
 * Edits a lot: each field is checked as it is typed (the server's rules, said at once), and the
 * server's refusal is shown beside the field it names. Only changed fields are sent.
 */
function EditLot({ clientCode, lot, close }: { clientCode: string; lot: Lot; close: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<LotDraft>(() => lotDraftOf(lot));
  const [touched, setTouched] = useState<ReadonlySet<LotField>>(new Set());
  const [saved, setSaved] = useState(false);
  const changes = lotChanges(lot, draft);
  const save = useMutation({
    mutationFn: async () =>
      readLot(await answerOf(api.PATCH('/admin/v1/clients/{code}/lots/{id}', { params: { path: { code: clientCode, id: lot.id } }, body: changes }))),
    onSuccess: async (updated) => {
      setDraft(lotDraftOf(updated));
      setTouched(new Set());
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['lots', clientCode] });
      await queryClient.invalidateQueries({ queryKey: ['lot-values', clientCode] });
    },
  });
  const typed = lotDraftProblems(draft);
  const server = formErrors(save.error, LOT_FIELDS);
  /** The field's problem: what the operator typed first (once touched), else the server's last answer. */
  const problem = (field: LotField) => (touched.has(field) ? typed[field] : undefined) ?? server.fields[field];
  const set = (field: LotField) => (value: string) => {
    setDraft({ ...draft, [field]: value });
    setTouched(new Set(touched).add(field));
    setSaved(false);
    save.reset();
  };
  const nothingChanged = Object.keys(changes).length === 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(new Set(LOT_FIELDS));
    if (Object.keys(typed).length > 0 || nothingChanged) return;
    save.mutate();
  };
  const id = (field: string) => `edit-lot-${field}`;

  return (
    <form className="card" onSubmit={submit} aria-labelledby="edit-lot-title" noValidate>
      <h2 id="edit-lot-title">Edit {lot.name}</h2>
      {server.form !== undefined && (
        <p role="alert" className="error">
          {server.form}
        </p>
      )}
      {saved && (
        <p role="status" className="success">
          Lot {lot.name} saved.
        </p>
      )}
      <div className="form-grid">
        <Field id={id('name')} label="Name" error={problem('name')}>
          {(aria) => <input id={id('name')} value={draft.name} onChange={(event) => set('name')(event.target.value)} {...aria} />}
        </Field>
        <Field id={id('type')} label="Type" error={problem('lot_type')}>
          {(aria) => (
            <select id={id('type')} value={draft.lot_type} onChange={(event) => set('lot_type')(event.target.value)} {...aria}>
              {LOT_TYPES.map((type) => (
                <option key={type.value} value={type.value}>
                  {type.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id('cost')} label="Default cost" error={problem('default_cost')}>
          {(aria) => (
            <input id={id('cost')} inputMode="decimal" value={draft.default_cost} onChange={(event) => set('default_cost')(event.target.value)} {...aria} />
          )}
        </Field>
        <Field id={id('capacity')} label="Capacity" error={problem('capacity')}>
          {(aria) => (
            <input id={id('capacity')} inputMode="numeric" value={draft.capacity} onChange={(event) => set('capacity')(event.target.value)} {...aria} />
          )}
        </Field>
        <Field id={id('tax1')} label="Tax rate 1 (%)" error={problem('tax_rate1')}>
          {(aria) => <input id={id('tax1')} inputMode="decimal" value={draft.tax_rate1} onChange={(event) => set('tax_rate1')(event.target.value)} {...aria} />}
        </Field>
        <Field id={id('tax2')} label="Tax rate 2 (%)" error={problem('tax_rate2')}>
          {(aria) => <input id={id('tax2')} inputMode="decimal" value={draft.tax_rate2} onChange={(event) => set('tax_rate2')(event.target.value)} {...aria} />}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" disabled={save.isPending || nothingChanged}>
          Save changes
        </button>{' '}
        <button type="button" className="secondary" onClick={close}>
          Close
        </button>
      </div>
    </form>
  );
}

/** The zone names a pay station may send for the lot: adding one moves that zone's disconnected permits into the lot at once. */
function ZoneAliases({ clientCode, lot }: { clientCode: string; lot: Lot }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [added, setAdded] = useState<ZoneAlias | undefined>();
  const aliases = useQuery({
    queryKey: ['zone-aliases', clientCode, lot.id],
    queryFn: async () =>
      readPage(
        await answerOf(api.GET('/admin/v1/clients/{code}/lots/{id}/aliases', { params: { path: { code: clientCode, id: lot.id }, query: { limit: 1000 } } })),
        readZoneAlias,
      ),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['zone-aliases', clientCode, lot.id] });
    // reconnected permits count at once in these
    await queryClient.invalidateQueries({ queryKey: ['lot-values', clientCode] });
    await queryClient.invalidateQueries({ queryKey: ['dashboard', clientCode] });
    await queryClient.invalidateQueries({ queryKey: ['paystation', clientCode] });
  };
  const add = useMutation({
    mutationFn: async () =>
      readZoneAlias(
        await answerOf(api.POST('/admin/v1/clients/{code}/lots/{id}/aliases', { params: { path: { code: clientCode, id: lot.id } }, body: { name } })),
      ),
    onSuccess: async (alias) => {
      setAdded(alias);
      setName('');
      await refresh();
    },
  });
  const errors = formErrors(add.error, ['name']);
  const typedProblem =
    name !== '' && name.trim() === '' ? 'The zone name must not be blank.' : name.length > 200 ? 'The zone name must be at most 200 characters.' : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    if (name.trim() === '' || typedProblem !== undefined) return;
    add.mutate();
  };

  return (
    <section className="card" aria-labelledby="zone-aliases-title">
      <h2 id="zone-aliases-title">Zone aliases of {lot.name}</h2>
      <p className="muted">
        Other names pay stations send for this lot. Adding one moves that zone&apos;s disconnected permits into the lot at once; removing one leaves them here.
      </p>
      {aliases.isPending ? (
        <Loading what="zone aliases" />
      ) : aliases.isError ? (
        <ErrorNote error={aliases.error} retry={() => void aliases.refetch()} />
      ) : aliases.data.items.length === 0 ? (
        <p className="muted">No aliases: pushes must name the lot exactly ({lot.name}, in any case).</p>
      ) : (
        <ul className="aliases">
          {aliases.data.items.map((alias) => (
            <AliasItem key={alias.id} clientCode={clientCode} lot={lot} alias={alias} removed={refresh} />
          ))}
        </ul>
      )}
      <form onSubmit={submit} aria-labelledby="add-alias-title" noValidate>
        <h3 id="add-alias-title">Add a zone alias</h3>
        {errors.form !== undefined && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        {added !== undefined && (
          <p role="status" className="success">
            Alias {added.name} added; {added.reconnectedPermits} disconnected permit{added.reconnectedPermits === 1 ? '' : 's'} reconnected.
          </p>
        )}
        <Field id="alias-name" label="Zone name as the pay station sends it" error={typedProblem ?? errors.fields.name}>
          {(aria) => (
            <input
              id="alias-name"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                add.reset();
              }}
              {...aria}
            />
          )}
        </Field>
        <button type="submit" disabled={add.isPending || name.trim() === ''}>
          Add alias
        </button>
      </form>
    </section>
  );
}

function AliasItem({ clientCode, lot, alias, removed }: { clientCode: string; lot: Lot; alias: ZoneAlias; removed: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: async () =>
      answerOf(api.DELETE('/admin/v1/clients/{code}/lots/{id}/aliases/{alias_id}', { params: { path: { code: clientCode, id: lot.id, alias_id: alias.id } } })),
    onSuccess: removed,
  });
  return (
    <li>
      <span className="alias-name">{alias.name}</span>{' '}
      {confirming ? (
        <span role="group" aria-label={`Remove the alias ${alias.name}?`} className="confirm">
          Remove {alias.name}? Later pushes of this zone will be disconnected.{' '}
          <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Confirm remove
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="secondary" aria-label={`Remove the alias ${alias.name}`} onClick={() => setConfirming(true)}>
          Remove
        </button>
      )}
      {remove.isError && (
        <span role="alert" className="error">
          {problemMessage(remove.error)}
        </span>
      )}
    </li>
  );
}
