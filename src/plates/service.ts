import type { Kysely } from 'kysely';
import { ApiError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import { findPlate, type DnttFound, type PermitFound } from './repository.js';

export interface PlateValidation {
  readonly response: string;
  readonly plate: string;
  readonly responseJSON: {
    permits?: PermitFound[];
    dntt?: DnttFound[];
    alarm?: string;
    active?: '1';
  };
}

/**
 * The text a handheld prints (docs/api.md#plate-validation), character for character: each
 * permit, a blank line after the permits, the alarm, then each DNTT entry (with the seed's space
 * before its newline).
 */
export function responseText(permits: readonly PermitFound[], alarm: string | null, dntt: readonly DnttFound[]): string {
  let text = '';
  for (const permit of permits) text += `${permit.type}: ${permit.shortName}\n Expires: ${permit.expires}\n`;
  if (permits.length > 0) text += '\n';
  if (alarm !== null) text += `ALARM: ${alarm}\n\n`;
  for (const entry of dntt) text += `DNTT: ${entry.location}\n${entry.start}-${entry.end} \n${entry.notes}\n\n`;
  return text;
}

/** What is on file for a plate right now: permits, DNTT entries and alarm, keys left out when empty. */
export async function validatePlate(db: Kysely<DB>, clientId: number, timeZone: string, plate: string): Promise<PlateValidation> {
  const plateNorm = normalisePlate(plate);
  if (plateNorm === '') throw new ApiError(9006, 'plate');
  const { permits, dntt, alarm } = await findPlate(db, clientId, plateNorm, timeZone);
  return {
    response: responseText(permits, alarm, dntt),
    plate: plateNorm,
    responseJSON: {
      ...(permits.length > 0 ? { permits } : {}),
      ...(dntt.length > 0 ? { dntt } : {}),
      ...(alarm !== null ? { alarm } : {}),
      ...(dntt.length > 0 ? { active: '1' as const } : {}),
    },
  };
}
