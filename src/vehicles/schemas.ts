import { Type } from '@sinclair/typebox';
import { Answer, DateTime, Id, Nullable, PageQuery, RowId } from '../admin/schemas.js';
import { LOOKUP_NAME_MAX } from './lookups.js';

/** An entry added to a lookup list; `provinceCode` says whether `code` is a postal abbreviation. */
export const NewLookup = (provinceCode: boolean) =>
  Type.Object({
    name: Type.String({ minLength: 1, maxLength: LOOKUP_NAME_MAX }),
    code: Type.Optional(Type.String({ maxLength: 20, description: provinceCode ? 'postal abbreviation, e.g. ON' : 'short code' })),
    country: Type.Optional(Type.String({ description: 'two-letter country code (provinces and states)' })),
  });

const IdOrName = Type.Optional(Type.Union([Type.String(), RowId()]));

/**
 * The vehicle attributes as vehicles/push names them. The schema documents them (OpenAPI,
 * CLI options); the checks are vehicles/push's own reader, so both sides answer alike.
 */
export const VehicleBody = Type.Object({
  plate: Type.Optional(Type.String({ description: 'required; up to 50 characters' })),
  plateTypeID: IdOrName,
  plateType: Type.Optional(Type.String({ description: 'plate type name (one of plateTypeID or plateType is required)' })),
  provID: IdOrName,
  prov: Type.Optional(Type.String({ description: 'province or state: full name or postal code (one of provID or prov is required)' })),
  makeID: IdOrName,
  make: Type.Optional(Type.String()),
  typeID: IdOrName,
  type: Type.Optional(Type.String({ description: 'vehicle type name' })),
  colourID: IdOrName,
  colour: Type.Optional(Type.String()),
  year: IdOrName,
  vin: Type.Optional(Type.String()),
  driver_user_ids: Type.Optional(Type.Array(RowId(), { maxItems: 100, description: 'users linked to the vehicle as its drivers (at most 100)' })),
});

export const VehicleListQuery = Type.Object({
  ...PageQuery.properties,
  plate: Type.Optional(Type.String({ description: 'only this plate (normalised match)' })),
});

export const NewDriver = Type.Object({ user_id: RowId() });

export const LookupRecord = Answer({ id: Id, name: Type.String(), code: Nullable(Type.String()), country: Nullable(Type.String()) });

/** A vehicle as the operator sees it: its lookups by id and name, and its drivers. */
export const VehicleRecord = Answer({
  id: Id,
  plate: Type.String(),
  plate_norm: Type.String({ description: 'the plate normalised (letters and digits, upper case)' }),
  plate_type_id: Id,
  plate_type: Nullable(Type.String()),
  province_id: Id,
  province: Nullable(Type.String()),
  province_code: Nullable(Type.String()),
  make_id: Nullable(Id),
  make: Nullable(Type.String()),
  vehicle_type_id: Nullable(Id),
  vehicle_type: Nullable(Type.String()),
  colour_id: Nullable(Id),
  colour: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  vin: Nullable(Type.String()),
  alert: Nullable(Type.String({ description: 'shown as ALARM by plate validation' })),
  driver_user_ids: Type.Array(Id),
  created_at: DateTime,
  updated_at: DateTime,
});

/** A created vehicle, with what vehicles/push would have warned about (lookups added, text truncated). */
export const CreatedVehicle = Answer({ ...VehicleRecord.properties, warnings: Type.Array(Type.String()) });
