import { Type } from '@sinclair/typebox';
import { Instant, PageQuery } from '../admin/schemas.js';

export const NewDntt = Type.Object({
  plate: Type.String({ minLength: 1, maxLength: 50 }),
  location: Type.Optional(Type.String({ maxLength: 200, description: 'location text; blank for every location' })),
  start: Instant,
  end: Instant,
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const DnttListQuery = Type.Composite([PageQuery, Type.Object({ plate: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) })]);

export const AlertBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000, description: 'the alert text (plate validation alarm)' }) });
