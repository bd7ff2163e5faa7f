import type { FieldSpec } from '../core/fields.js';

/** The attributes of plate validation (seed: Pull API: Plate Validation). */
export const PLATE_FIELDS = {
  plate: { names: ['plate'], kind: 'text', max: 50, missing: 9006, about: 'matched by its normalised form (upper case without spaces, - or .)' },
  // This server's addition (as-of validation, for appeals). A timestamp is 19 characters; a
  // longer value is a malformed time, answered with the vendor's time code like startTime.
  at: {
    names: ['at'],
    kind: 'timestamp',
    max: 20,
    invalid: 9007,
    tooLong: 9007,
    blankIsInvalid: true,
    about:
      "a past moment, read in the client's input time zone: the answer is then what validation answered at that moment (as_of) " +
      'and the permits whose validity covers it by today’s records (valid_at), instead of what is valid now',
  },
  fuzzy: {
    names: ['fuzzy'],
    kind: 'flag',
    about:
      'also answer responseJSON.candidates: plates on file a misread plate may stand for (OCR confusions, one character more or less), each with its own answer',
  },
} as const satisfies Record<string, FieldSpec>;
