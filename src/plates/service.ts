import type { Kysely } from 'kysely';
import { ApiError } from '../core/errors.js';
import { normalisePlate } from '../core/plates.js';
import type { DB } from '../db/schema.js';
import { enforcementIndexOf } from '../enforcement/index.js';
import type { PlateChange } from '../enforcement/fuzzy.js';
import { findPlate, type DnttFound, type PermitFound, type PlateFindings } from './repository.js';

export interface PlateAnswerJSON {
  permits?: PermitFound[];
  dntt?: DnttFound[];
  alarm?: string;
  active?: '1';
}

/** A plate on file that a misread may stand for, with what validation answers for it. */
export interface PlateCandidateAnswer {
  readonly plate: string;
  readonly changes: PlateChange[];
  readonly response: string;
  readonly responseJSON: PlateAnswerJSON;
}

export interface PlateValidation {
  readonly response: string;
  readonly plate: string;
  readonly responseJSON: PlateAnswerJSON & { candidates?: PlateCandidateAnswer[] };
}

export interface ValidateOptions {
  /** Also answer `candidates`: plates on file a misread may stand for (docs/enforcement.md#misread-tolerant-lookup). */
  readonly fuzzy?: boolean;
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

/** The answer's text and its JSON, keys left out when empty. */
function answerOf({ permits, dntt, alarm }: PlateFindings): { response: string; responseJSON: PlateAnswerJSON } {
  return {
    response: responseText(permits, alarm, dntt),
    responseJSON: {
      ...(permits.length > 0 ? { permits } : {}),
      ...(dntt.length > 0 ? { dntt } : {}),
      ...(alarm !== null ? { alarm } : {}),
      ...(dntt.length > 0 ? { active: '1' as const } : {}),
    },
  };
}

/**
 * What is on file for a plate right now: permits, DNTT entries and alarm, keys left out when
 * empty. Answered from the enforcement index when the app runs one (src/enforcement/index.ts),
 * without a database round trip; otherwise (the command line, no app) by the one SQL statement,
 * which is also the reference the index is tested against.
 */
export async function validatePlate(
  db: Kysely<DB>,
  clientId: number,
  timeZone: string,
  plate: string,
  options: ValidateOptions = {},
): Promise<PlateValidation> {
  const plateNorm = normalisePlate(plate);
  if (plateNorm === '') throw new ApiError(9006, 'plate');
  // Until the app's index has loaded (just after start), the SQL answers; the misread-tolerant lookup waits for it.
  const loaded = enforcementIndexOf(db);
  const index = loaded !== undefined && (loaded.loaded || options.fuzzy === true) ? loaded : undefined;
  if (index !== undefined) await index.current();
  const findings = index === undefined ? await findPlate(db, clientId, plateNorm, timeZone) : index.findings(clientId, plateNorm, timeZone);
  const { response, responseJSON } = answerOf(findings);
  if (options.fuzzy !== true) return { response, plate: plateNorm, responseJSON };
  if (index === undefined) throw new Error('the misread-tolerant lookup needs the enforcement index (started by the app)');
  const candidates = index.candidates(clientId, plateNorm, timeZone).map((candidate) => ({
    plate: candidate.plate,
    changes: candidate.changes,
    ...answerOf(candidate.findings),
  }));
  return { response, plate: plateNorm, responseJSON: { ...responseJSON, candidates } };
}
