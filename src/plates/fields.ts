import type { FieldSpec } from '../core/fields.js';

/** The attributes of plate validation (seed: Pull API: Plate Validation). */
export const PLATE_FIELDS = {
  plate: { names: ['plate'], kind: 'text', max: 50, missing: 9006, about: 'matched by its normalised form (upper case without spaces, - or .)' },
} as const satisfies Record<string, FieldSpec>;
