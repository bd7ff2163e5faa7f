/**
 * Misread-tolerant plate lookup (docs/enforcement.md#misread-tolerant-lookup): the plates on
 * file that a camera or an officer may have meant when it read `read`.
 *
 * A character may have been read as another of its confusion class (an OCR confusion), and at
 * most one character may have been read in excess (`inserted`) or missed (`dropped`); at most
 * MAX_CHANGES changes in all. Substitutions are found by one hash probe: each plate on file is
 * also kept under its key, the plate with every character replaced by its class's
 * representative, so all the plates that differ from a read only within classes share its key.
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

/** The plate's key: every character replaced by its class's representative. */
export function plateKey(plate: string): string {
  let key = '';
  for (const char of plate) key += representativeOf(char);
  return key;
}

/** What the fuzzy lookup needs of the plates on file. */
export interface PlateKeys<Entry> {
  /** The plates on file by key (one entry, or several sharing the key). */
  readonly byKey: ReadonlyMap<string, Entry | Entry[]>;
  /** Every key character of a plate on file: what a dropped character can have been. */
  readonly keyChars: ReadonlySet<string>;
  plateOf(entry: Entry): string;
}

export interface FuzzyMatch<Entry> {
  readonly entry: Entry;
  readonly plate: string;
  readonly changes: PlateChange[];
}

/**
 * The changes that turn `read` into `onFile` when they are aligned so: read position `i` faces
 * plate position `i + shift(i)`; undefined when a pair differs outside every class or the
 * changes exceed the limit. `edit` is the inserted or dropped character, already counted.
 */
function alignedChanges(read: readonly string[], onFile: readonly string[], edit: Inserted | Dropped | undefined): PlateChange[] | undefined {
  const changes: PlateChange[] = edit === undefined ? [] : [edit];
  let readAt = 0;
  for (let fileAt = 0; fileAt < onFile.length; fileAt++) {
    if (edit !== undefined && 'dropped' in edit && fileAt === edit.at) continue;
    if (edit !== undefined && 'inserted' in edit && readAt === edit.at) readAt++;
    const readChar = read[readAt];
    const fileChar = onFile[fileAt];
    if (readChar === undefined || fileChar === undefined) return undefined;
    if (readChar !== fileChar) {
      if (!CONFUSABLE.has(readChar + fileChar)) return undefined;
      changes.push({ at: readAt, read: readChar, as: fileChar });
      if (changes.length > MAX_CHANGES) return undefined;
    }
    readAt++;
  }
  return changes;
}

function entriesOf<Entry>(found: Entry | Entry[] | undefined): readonly Entry[] {
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found];
}

/**
 * The plates on file within MAX_CHANGES of `read` (itself excluded), each with its changes in
 * read order (an inserted or dropped character first), the fewest changes kept when a plate is
 * reached several ways.
 */
export function fuzzyMatches<Entry>(keys: PlateKeys<Entry>, read: string): FuzzyMatch<Entry>[] {
  const readChars = [...read];
  const readKey = readChars.map(representativeOf);
  const found = new Map<string, FuzzyMatch<Entry>>();
  const consider = (key: string, editOf: (plateChars: readonly string[]) => Inserted | Dropped | undefined) => {
    for (const entry of entriesOf(keys.byKey.get(key))) {
      const plate = keys.plateOf(entry);
      if (plate === read) continue;
      const plateChars = [...plate];
      const changes = alignedChanges(readChars, plateChars, editOf(plateChars));
      if (changes === undefined) continue;
      const known = found.get(plate);
      if (known === undefined || changes.length < known.changes.length) found.set(plate, { entry, plate, changes });
    }
  };
  // Substitutions only: the read's own key.
  consider(readKey.join(''), () => undefined);
  // One character read in excess: the read without it.
  for (let at = 0; at < readChars.length && readChars.length > 1; at++) {
    const inserted: Inserted = { at, inserted: readChars[at] ?? '' };
    consider([...readKey.slice(0, at), ...readKey.slice(at + 1)].join(''), () => inserted);
  }
  // One character missed: the read with each key character at each position; the plate on
  // file's own character there is the one dropped.
  for (let at = 0; at <= readKey.length; at++) {
    const prefix = readKey.slice(0, at).join('');
    const suffix = readKey.slice(at).join('');
    for (const char of keys.keyChars) consider(prefix + char + suffix, (plateChars) => ({ at, dropped: plateChars[at] ?? '' }));
  }
  return [...found.values()];
}

/** Whether a match needed an inserted or dropped character (less likely than confusions alone). */
export function hasEdit(changes: readonly PlateChange[]): boolean {
  return changes.some((change) => !('read' in change));
}
