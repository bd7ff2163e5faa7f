/**
 * Misread-tolerant plate lookup (docs/enforcement.md#misread-tolerant-lookup): the plates on
 * file that a camera or an officer may have meant when it read `read`.
 *
 * A character may have been read as another of its confusion class (an OCR confusion), and at
 * most one character may have been read in excess (`inserted`) or missed (`dropped`); at most
 * MAX_CHANGES changes in all. Substitutions are found by one hash probe: each plate on file is
 * also kept under the hash of its key, the plate with every character replaced by its class's
 * representative, so all the plates that differ from a read only within classes share its key.
 * The hash is polynomial (mod 2^32), so the key of the read with a character removed or
 * inserted is hashed from the read's prefix and suffix hashes without building a string; a
 * collision only costs a comparison, every plate found being checked character by character.
 */

/** Characters OCR takes for one another; within a class any may be read as any other. */
export const CONFUSION_CLASSES = ['1I', '2Z', '38B', '5S', '0DOQ', 'EFP', 'HKMR', 'TY', 'VY'] as const;

/** The most changes a candidate may be away from the read. */
export const MAX_CHANGES = 2;

/** A character read as another of its class (`at`: its 0-based position in the read). */
export interface Confusion {
  readonly at: number;
  readonly read: string;
  readonly as: string;
}
/** A character in the read that the plate on file does not have (`at`: its position in the read). */
export interface Inserted {
  readonly at: number;
  readonly inserted: string;
}
/** A character of the plate on file missing from the read (`at`: its position in the plate on file). */
export interface Dropped {
  readonly at: number;
  readonly dropped: string;
}
export type PlateChange = Confusion | Inserted | Dropped;

/** A character → its class's representative. Classes sharing a character (T/Y, V/Y) share one. */
const REPRESENTATIVE: ReadonlyMap<string, string> = (() => {
  const groups: Array<Set<string>> = [];
  for (const members of CONFUSION_CLASSES) {
    const joined = groups.filter((group) => [...members].some((char) => group.has(char)));
    const merged = new Set([...members, ...joined.flatMap((group) => [...group])]);
    for (const group of joined) groups.splice(groups.indexOf(group), 1);
    groups.push(merged);
  }
  const map = new Map<string, string>();
  for (const group of groups) {
    const representative = [...group].sort()[0] ?? '';
    for (const char of group) map.set(char, representative);
  }
  return map;
})();

/** Ordered pairs of characters of one class: `"8B"` means 8 may be read for B and B for 8. */
const CONFUSABLE: ReadonlySet<string> = new Set(
  CONFUSION_CLASSES.flatMap((members) => [...members].flatMap((a) => [...members].filter((b) => b !== a).map((b) => a + b))),
);

export function representativeOf(char: string): string {
  return REPRESENTATIVE.get(char) ?? char;
}

const BASE = 0x01000193;
/** BASE to the power of each index, mod 2^32 (plates have at most 50 characters). */
const POWERS: readonly number[] = Array.from({ length: 64 }).reduce<number[]>((powers) => [...powers, Math.imul(powers.at(-1) ?? 1, BASE)], [1]);
const power = (exponent: number) => POWERS[exponent] ?? 0;

/** The UTF-16 units of the plate's key: each unit replaced by its class's representative. */
function keyCodes(plate: string): number[] {
  const codes: number[] = [];
  for (let at = 0; at < plate.length; at++) codes.push(representativeOf(plate.charAt(at)).charCodeAt(0));
  return codes;
}

function hashOf(codes: readonly number[], from = 0, to = codes.length): number {
  let hash = 0;
  for (let at = from; at < to; at++) hash = (Math.imul(hash, BASE) + (codes[at] ?? 0)) | 0;
  return hash;
}

/** The hash of the plate's key, under which the plate is kept. */
export function plateKey(plate: string): number {
  return hashOf(keyCodes(plate));
}

/** The key units of the plate: what a dropped character of a read may have been. */
export function plateKeyUnits(plate: string): number[] {
  return keyCodes(plate);
}

/** What the fuzzy lookup needs of the plates on file. */
export interface PlateKeys<Entry> {
  /** The plates on file by key hash (one entry, or several sharing it). */
  readonly byKey: ReadonlyMap<number, Entry | Entry[]>;
  /** Every key unit of a plate on file: what a dropped character can have been. */
  readonly keyUnits: ReadonlySet<number>;
  plateOf(entry: Entry): string;
}

export interface FuzzyMatch<Entry> {
  readonly entry: Entry;
  readonly plate: string;
  readonly changes: PlateChange[];
}

/**
 * The changes that turn `read` into `onFile` with `edit` (an inserted or dropped character,
 * counted among the changes) and confusions elsewhere; undefined when a pair differs outside
 * every class or the changes exceed the limit. Positions count UTF-16 units (plates are
 * letters and digits).
 */
function alignedChanges(read: string, onFile: string, edit: Inserted | Dropped | undefined): PlateChange[] | undefined {
  const skipRead = edit !== undefined && 'inserted' in edit ? edit.at : -1;
  const skipFile = edit !== undefined && 'dropped' in edit ? edit.at : -1;
  let changes: PlateChange[] | undefined;
  let count = edit === undefined ? 0 : 1;
  let readAt = 0;
  for (let fileAt = 0; fileAt < onFile.length; fileAt++) {
    if (fileAt === skipFile) continue;
    if (readAt === skipRead) readAt++;
    const readChar = read.charAt(readAt);
    const fileChar = onFile.charAt(fileAt);
    if (readChar !== fileChar) {
      if (++count > MAX_CHANGES || !CONFUSABLE.has(readChar + fileChar)) return undefined;
      (changes ??= []).push({ at: readAt, read: readChar, as: fileChar });
    }
    readAt++;
  }
  if (edit === undefined) return changes ?? [];
  return changes === undefined ? [edit] : [edit, ...changes];
}

/**
 * The plates on file within MAX_CHANGES of `read` (itself excluded), each with its changes in
 * read order (an inserted or dropped character first), the fewest changes kept when a plate is
 * reached several ways.
 */
export function fuzzyMatches<Entry>(keys: PlateKeys<Entry>, read: string): FuzzyMatch<Entry>[] {
  const codes = keyCodes(read);
  const length = codes.length;
  // prefix[i]: the hash of the key's first i units; suffix[i]: of the units from i on.
  const prefix = [0];
  for (let at = 0; at < length; at++) prefix.push((Math.imul(prefix[at] ?? 0, BASE) + (codes[at] ?? 0)) | 0);
  const suffix: number[] = [];
  for (let at = length; at >= 0; at--) suffix[at] = hashOf(codes, at);
  const found = new Map<string, FuzzyMatch<Entry>>();
  const take = (entry: Entry, edit: Inserted | Dropped | undefined) => {
    const plate = keys.plateOf(entry);
    if (plate === read) return;
    const changes = alignedChanges(read, plate, edit);
    if (changes === undefined) return;
    const known = found.get(plate);
    if (known === undefined || changes.length < known.changes.length) found.set(plate, { entry, plate, changes });
  };
  const probe = (hash: number, plateLength: number, edit: (plate: string) => Inserted | Dropped | undefined) => {
    const sharing = keys.byKey.get(hash);
    if (sharing === undefined) return;
    for (const entry of Array.isArray(sharing) ? sharing : [sharing]) {
      const plate = keys.plateOf(entry);
      if (plate.length === plateLength) take(entry, edit(plate));
    }
  };
  // Substitutions only: the read's own key.
  probe(prefix[length] ?? 0, length, () => undefined);
  // One character read in excess: the read without it.
  for (let at = 0; at < length && length > 1; at++) {
    const inserted: Inserted = { at, inserted: read.charAt(at) };
    probe((Math.imul(prefix[at] ?? 0, power(length - at - 1)) + (suffix[at + 1] ?? 0)) | 0, length - 1, () => inserted);
  }
  // One character missed: the read with each key unit at each position; the plate on file's
  // own character there is the one dropped.
  for (let at = 0; at <= length; at++) {
    const head = Math.imul(prefix[at] ?? 0, power(length - at + 1));
    const tail = suffix[at] ?? 0;
    for (const unit of keys.keyUnits) {
      probe((head + Math.imul(unit, power(length - at)) + tail) | 0, length + 1, (plate) => ({ at, dropped: plate.charAt(at) }));
    }
  }
  return [...found.values()];
}

/** Whether a match needed an inserted or dropped character (less likely than confusions alone). */
export function hasEdit(changes: readonly PlateChange[]): boolean {
  return changes.some((change) => !('read' in change));
}
