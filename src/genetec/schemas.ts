import { Type } from '@sinclair/typebox';

/**
 * The shapes of the Genetec AutoVu Pay-by-Plate Sync provider face (docs/genetec.md), spelt as
 * Genetec spells them. One schema per route gives the validation, the types, the serialiser and
 * the OpenAPI document.
 */

/** Text PostgreSQL can hold (no U+0000). */
const Text = (options: { minLength?: number; maxLength: number; description?: string }) => Type.String({ pattern: '^[^\\u0000]*$', ...options });

export const MAX_LISTED = 1000;

const ZoneId = Text({ maxLength: 100, description: "a zone's ZoneId (GET zones)" });
const ZoneIds = Type.Array(ZoneId, { maxItems: MAX_LISTED, description: 'absent or empty: every zone of the client' });

export const Zone = Type.Object({
  ZoneId: Type.String({ description: 'the lot id, as text' }),
  Name: Type.String({ description: 'the lot name' }),
});

export const Permit = Type.Object({
  Expiry: Type.String({ description: 'UTC, ISO-8601 with Z; a deleted or shortened permit carries its new, past expiry' }),
  Activation: Type.String({ description: 'the start, UTC, ISO-8601 with Z ("0001-01-01T00:00:00" for a permit without one)' }),
  PermitId: Type.String({ description: 'a pushed permit: its reference_id; a standard permit: S and its id (shared by its plates)' }),
  PlateNumber: Type.String({ description: 'the plate, normalised (upper case without spaces, - or .)' }),
  PlateState: Type.String({ description: "the vehicle's province or state code; blank when unknown" }),
  Make: Type.String({ description: "the vehicle's make; blank when unknown" }),
  Color: Type.String({ description: "the vehicle's colour; blank when unknown" }),
});

// Any text: one that names no lot of the client is answered 404.
export const ZonePermitsParams = Type.Object({ zoneId: Type.String({ maxLength: 100 }) });
export const ZonePermitsQuery = Type.Object({
  continuationToken: Type.Optional(
    Text({ maxLength: 100, description: 'the ContinuationToken of an earlier answer: only the permits of the zone changed since' }),
  ),
});
export const PermitResults = Type.Object({
  ContinuationToken: Type.String({ description: 'opaque; pass it back to receive only what changed since this answer' }),
  Permits: Type.Array(Permit),
});

export const SearchBody = Type.Object({
  PlateNumbers: Type.Array(Text({ maxLength: 50 }), { maxItems: MAX_LISTED, description: 'matched by their normalised form' }),
  ZoneIds: Type.Optional(ZoneIds),
});
export const SearchAnswer = Type.Object({
  PermitZones: Type.Array(Type.Object({ ZoneId: Type.String(), Permits: Type.Array(Permit) })),
});

export const IsValidBody = Type.Object({
  PlateNumber: Text({ minLength: 1, maxLength: 50, description: 'matched by its normalised form' }),
  ZoneIds: Type.Optional(ZoneIds),
});
export const IsValidAnswer = Type.Object({ IsValid: Type.Boolean() });

/** Every refusal: ASP.NET Web API's `{"Message"}`, the form Pay-by-Plate Sync clients know. */
export const GenetecError = Type.Object({ Message: Type.String() });
