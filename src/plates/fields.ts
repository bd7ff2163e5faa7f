import type { FieldSpec } from '../core/fields.js';

/** The attributes of plate validation (seed: Pull API: Plate Validation). */
export const PLATE_FIELDS = {
  plate: { names: ['plate'], kind: 'text', max: 50, missing: 9006, about: 'matched by its normalised form (upper case without spaces, - or .)' },
  fuzzy: {
    names: ['fuzzy'],
    kind: 'flag',
    about:
      'also answer responseJSON.candidates: plates on file a misread plate may stand for (OCR confusions, one character more or less), each with its own answer',
  },
} as const satisfies Record<string, FieldSpec>;
