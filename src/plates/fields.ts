import type { FieldSpec } from '../core/fields.js';

/** The attributes of plate validation (seed: Pull API: Plate Validation). */
export const PLATE_FIELDS = {
  plate: { names: ['plate'], max: 50, missing: 9006 },
} as const satisfies Record<string, FieldSpec>;
