import { ApiError } from '../core/errors.js';
import type { FieldSpec, Fields } from '../core/fields.js';
import type { LookupKind } from '../db/schema.js';
import { LOOKUP_NAME_MAX } from './lookups.js';

/**
 * The attributes of a vehicle (Push API: Vehicle Create), read alike by vehicles/push and by
 * the operator's vehicle create.
 */
export const VEHICLE_FIELDS = {
  plate: { names: ['plate'], kind: 'text', max: 50, missing: 9006, tooLong: 9021, about: 'with the province, unique per client by its normalised form (9012)' },
  plateTypeId: { names: ['plateTypeID'], kind: 'id', about: "an id of the client's plate type list; wins over plateType" },
  plateType: {
    names: ['plateType'],
    kind: 'cut-text',
    max: LOOKUP_NAME_MAX,
    missing: 9010,
    about:
      "a name of the client's plate type list; an unknown name is added with a warning, an all-digit name is read as an id when the list has it, a longer name is cut with a warning",
  },
  provinceId: { names: ['provID'], kind: 'id', about: "an id of the client's province list; wins over prov" },
  province: {
    names: ['prov'],
    kind: 'cut-text',
    max: LOOKUP_NAME_MAX,
    missing: 9011,
    about: "a name or postal code (Ontario, ON) of the client's province list; an unknown name is added with a warning, a longer name is cut with a warning",
  },
  makeId: { names: ['makeID'], kind: 'id', about: "an id of the client's make list; wins over make" },
  make: {
    names: ['make'],
    kind: 'cut-text',
    max: LOOKUP_NAME_MAX,
    about:
      "a name of the client's make list; an unknown name is added with a warning, an all-digit name is read as an id when the list has it, a longer name is cut with a warning",
  },
  typeId: { names: ['typeID'], kind: 'id', about: "an id of the client's vehicle type list; wins over type" },
  type: {
    names: ['type'],
    kind: 'cut-text',
    max: LOOKUP_NAME_MAX,
    about:
      "a name of the client's vehicle type list; an unknown name is added with a warning, an all-digit name is read as an id when the list has it, a longer name is cut with a warning",
  },
  colourId: { names: ['colourID'], kind: 'id', about: "an id of the client's colour list; wins over colour" },
  colour: {
    names: ['colour'],
    kind: 'cut-text',
    max: LOOKUP_NAME_MAX,
    about:
      "a name of the client's colour list; an unknown name is added with a warning, an all-digit name is read as an id when the list has it, a longer name is cut with a warning",
  },
  year: { names: ['year'], kind: 'year' },
  vin: { names: ['vin'], kind: 'cut-text', max: 25, about: 'a longer value is cut with a warning' },
} as const satisfies Record<string, FieldSpec>;

/**
 * One lookup attribute as sent: an id under the id name (`makeID`), or a name under the name
 * name (`make`), already cut to 50 characters when it was longer.
 */
export type LookupChoice =
  | { readonly by: 'id'; readonly id: number; readonly field: string }
  | { readonly by: 'name'; readonly name: string; readonly truncated: boolean; readonly field: string };

export interface VehicleInput {
  readonly plate: string;
  readonly plateType: LookupChoice;
  readonly province: LookupChoice;
  readonly make?: LookupChoice;
  readonly vehicleType?: LookupChoice;
  readonly colour?: LookupChoice;
  readonly year?: number;
  readonly vin?: { readonly value: string; readonly truncated: boolean };
}

/** The id attribute wins over the name attribute when both are given (it is listed first in the seed). */
function lookupChoice(fields: Fields, idSpec: FieldSpec<'id'>, nameSpec: FieldSpec<'cut-text'>): LookupChoice | undefined {
  const id = fields.id(idSpec);
  if (id !== undefined) return { by: 'id', id, field: fields.nameOf(idSpec) };
  const name = fields.truncatedText(nameSpec);
  if (name === undefined) return undefined;
  return { by: 'name', name: name.value, truncated: name.truncated, field: fields.nameOf(nameSpec) };
}

/** Reads and checks a vehicle's attributes (no database access): 9006, 9021, 9010, 9011, 9033. */
export function readVehicle(fields: Fields): VehicleInput {
  const f = VEHICLE_FIELDS;
  const plate = fields.text(f.plate, true);
  const plateType = lookupChoice(fields, f.plateTypeId, f.plateType);
  if (plateType === undefined) throw new ApiError(f.plateType.missing, f.plateType.names[0]);
  const province = lookupChoice(fields, f.provinceId, f.province);
  if (province === undefined) throw new ApiError(f.province.missing, f.province.names[0]);
  return {
    plate,
    plateType,
    province,
    make: lookupChoice(fields, f.makeId, f.make),
    vehicleType: lookupChoice(fields, f.typeId, f.type),
    colour: lookupChoice(fields, f.colourId, f.colour),
    year: fields.year(f.year),
    vin: fields.truncatedText(f.vin),
  };
}

export const LOOKUP_OF: Record<'plateType' | 'province' | 'make' | 'vehicleType' | 'colour', LookupKind> = {
  plateType: 'plate_type',
  province: 'province',
  make: 'make',
  vehicleType: 'vehicle_type',
  colour: 'colour',
};
