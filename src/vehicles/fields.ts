import { ApiError } from '../core/errors.js';
import type { FieldSpec, Fields } from '../core/fields.js';
import type { LookupKind } from '../db/schema.js';
import { LOOKUP_NAME_MAX } from './lookups.js';

/**
 * The attributes of a vehicle (Push API: Vehicle Create), read alike by vehicles/push and by
 * the operator's vehicle create.
 */
export const VEHICLE_FIELDS = {
  plate: { names: ['plate'], max: 50, missing: 9006, tooLong: 9021 },
  plateTypeId: { names: ['plateTypeID'] },
  plateType: { names: ['plateType'], max: LOOKUP_NAME_MAX },
  provinceId: { names: ['provID'] },
  province: { names: ['prov'], max: LOOKUP_NAME_MAX },
  makeId: { names: ['makeID'] },
  make: { names: ['make'], max: LOOKUP_NAME_MAX },
  typeId: { names: ['typeID'] },
  type: { names: ['type'], max: LOOKUP_NAME_MAX },
  colourId: { names: ['colourID'] },
  colour: { names: ['colour'], max: LOOKUP_NAME_MAX },
  year: { names: ['year'] },
  vin: { names: ['vin'], max: 25 },
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
function lookupChoice(fields: Fields, idSpec: FieldSpec, nameSpec: FieldSpec): LookupChoice | undefined {
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
  if (plateType === undefined) throw new ApiError(9010, f.plateType.names[0]);
  const province = lookupChoice(fields, f.provinceId, f.province);
  if (province === undefined) throw new ApiError(9011, f.province.names[0]);
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
