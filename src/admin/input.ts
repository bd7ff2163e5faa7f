import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { InvalidInputError } from '../core/errors.js';

/**
 * The operator side's one reading of input, for the admin API and the CLI alike: text (path and
 * query) becomes the numbers and booleans the schema asks for, defaults are filled in, and anything else is
 * refused with a sentence an operator can act on (`start: an ISO-8601 time with an offset, e.g.
 * 2026-11-24T10:00:00Z`), never a schema path or a regex.
 */
export function parseInput<S extends TObject>(schema: S, raw: unknown, source: 'text' | 'json'): Static<S> {
  // Path and query values arrive as text; a JSON body keeps its types (a "12.345" string must
  // not become a number the schema then accepts and a column rounds).
  const value = Value.Default(schema, source === 'text' ? Value.Convert(schema, raw ?? {}) : (raw ?? {}));
  rejectNul(value);
  if (Value.Check(schema, value)) return value;
  const error = Value.Errors(schema, value).First();
  if (error === undefined) throw new InvalidInputError('the input is not valid');
  const path = readablePath(error.path);
  throw new InvalidInputError(`${path || 'input'}: ${describe(error)}`, path.split(/[.[]/)[0] || undefined);
}

/** The path's `:code`: a client code never holds U+0000 (400 rather than a confusing 404). */
export function parseClientCode(code: string): string {
  if (code.includes('\u0000')) throw new InvalidInputError(NUL_MESSAGE('code'), 'code');
  return code;
}

const NUL_MESSAGE = (path: string) => `${path}: must not contain the NUL character (U+0000)`;

/** `/vehicle_ids/3` → `vehicle_ids[3]`, `/address/city` → `address.city`. */
function readablePath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/**
 * PostgreSQL text cannot hold U+0000: a string carrying one, at any depth, is refused here
 * instead of failing in the database. Walked with an explicit stack: JSON may be deep.
 */
function rejectNul(root: unknown): void {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path } = item;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw new InvalidInputError(NUL_MESSAGE(path || 'input'), path.split(/[.[]/)[0] || undefined);
    } else if (Array.isArray(value)) {
      value.forEach((element, index) => pending.push({ value: element, path: `${path}[${index}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, element] of Object.entries(value)) {
        if (key.includes('\u0000')) throw new InvalidInputError(NUL_MESSAGE(path || 'input'), path.split(/[.[]/)[0] || undefined);
        pending.push({ value: element, path: path === '' ? key : `${path}.${key}` });
      }
    }
  }
}

/** What a value of this schema is, in words (a union by its description when it has one). */
function expected(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    if (typeof schema.description === 'string') return schema.description;
    return schema.anyOf.map((member: TSchema) => expected(member)).join(' or ');
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  switch (schema.type) {
    case 'integer':
      return typeof schema.minimum === 'number' && schema.minimum >= 1 ? 'a whole number from 1' : 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    default:
      return 'an object';
  }
}

function describe(error: ValueError): string {
  const { schema } = error;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'required';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${schema.minimum}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${schema.maximum}`;
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${schema.maxLength} characters`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${schema.maxItems} items`;
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
      return typeof schema.description === 'string' ? `must be ${schema.description}` : 'is not in the expected format';
    default: {
      const note = typeof schema.description === 'string' && !Array.isArray(schema.anyOf) ? ` (${schema.description})` : '';
      return `must be ${expected(schema)}${note}`;
    }
  }
}
