import { Type } from '@sinclair/typebox';
import { Answer, DateTime, Id, Instant, Nullable, PageQuery } from '../admin/schemas.js';

export const NewDntt = Type.Object({
  plate: Type.String({ minLength: 1, maxLength: 50 }),
  location: Type.Optional(Type.String({ maxLength: 200, description: 'location text; blank for every location' })),
  start: Instant,
  end: Instant,
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const DnttListQuery = Type.Composite([PageQuery, Type.Object({ plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) })]);

export const AlertBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000, description: 'the alert text (plate validation alarm)' }) });

export const DnttRecord = Answer({
  id: Id,
  plate: Type.String(),
  plate_norm: Type.String({ description: 'the plate normalised (letters and digits, upper case)' }),
  location: Type.String({ description: 'blank: every location' }),
  start_at: DateTime,
  end_at: DateTime,
  notes: Type.String(),
  created_at: DateTime,
});

/** A vehicle's or user's alert after the change. */
export const AlertRecord = Answer({ id: Id, alert: Nullable(Type.String({ description: 'null when cleared' })) });

/** The plate in the path of the operator's plate lookup. */
export const PlateParams = Type.Object({
  plate: Type.String({ minLength: 1, maxLength: 50, description: 'the plate, written any way (normalised as plate validation does)' }),
});

/** What plate validation answers, every list present, for an officer's screen. */
export const PlateLookupAnswer = Answer({
  plate: Type.String(),
  permits: Type.Array(Answer({ expires: Type.String({ description: 'local time, YYYY-MM-DD HH:MM:SS' }), type: Type.String(), shortName: Type.String() })),
  dntt: Type.Array(Answer({ notes: Type.String(), start: Type.String(), location: Type.String(), end: Type.String() })),
  alarm: Nullable(Type.String()),
  response: Type.String({ description: 'the text plate validation answers' }),
});
