import { Command, Option } from 'commander';
import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInputError } from '../core/errors.js';
import { recordOperatorAction } from '../operators/actions.js';
import { adminErrorStatus } from './error-status.js';
import type { AdminOperation, AdminServices } from './operation.js';

const kebab = (name: string) => name.replaceAll('_', '-');
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Turns a command-line string into the JSON value its schema expects. */
function fromText(text: string, schema: TSchema): unknown {
  if (Array.isArray(schema.anyOf)) {
    for (const member of schema.anyOf as TSchema[]) {
      const value = fromText(text, member);
      if (Value.Check(member, value)) return value;
    }
    return text;
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return text.trim() === '' ? text : Number(text);
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
      return text === '' ? [] : text.split(',').map((item) => fromText(item.trim(), schema.items as TSchema));
    default:
      return text;
  }
}

/**
 * A command's own options: a field of the same name is given as `--<resource>-<name>` (a
 * webhook's url: `--webhook-url`). `--client` is a command's own only where the path has the
 * client's `:code`; elsewhere (`operators create`) a `client` field keeps its name.
 */
function commandOptions(operation: AdminOperation): ReadonlySet<string> {
  return new Set(['data', 'json', 'url', ...(operation.path.includes(':code') ? ['client'] : [])]);
}

/** The command-line flag (without `--`) of a body or query field of `operation`. */
function fieldFlag(operation: AdminOperation, name: string): string {
  return commandOptions(operation).has(name) ? `${operation.resource.replace(/s$/, '')}-${kebab(name)}` : kebab(name);
}

function valuesFor(schema: TObject, options: Record<string, unknown>, flag: (name: string) => string = kebab): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    const text = options[camel(flag(name).replaceAll('-', '_'))];
    if (typeof text === 'string') values[name] = fromText(text, property);
  }
  return values;
}

/** Path and query values as given: text, as the admin API receives them in a URL. */
function textsFor(schema: TObject, options: Record<string, unknown>, flag: (name: string) => string = kebab): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const text = options[camel(flag(name).replaceAll('-', '_'))];
    if (typeof text === 'string') texts[name] = text;
  }
  return texts;
}

/** What a command hands to the operation: the admin API's path values, query and body. */
export interface AdminCommandInput {
  /** `--client`, the path's `:code`. */
  readonly code: string | undefined;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * Where a command runs: on the database, in this process, or on a running server through its
 * admin API. Either way the answer is the operation's JSON answer, so it prints the same.
 */
export interface AdminTarget {
  run(operation: AdminOperation, input: AdminCommandInput): Promise<unknown>;
}

/** Runs operations on the database in this process; `openServices` opens it when a command runs. */
export function localTarget(openServices: () => Promise<AdminServices & { close(): Promise<void> }>): AdminTarget {
  return {
    async run(operation, input) {
      const services = await openServices();
      // A command that changes something is an operator action of the command line, as it is
      // when it goes through a server's admin API.
      const record = async (status: number) => {
        if (operation.method === 'GET') return;
        const params = input.code === undefined ? input.params : { code: input.code, ...input.params };
        await recordOperatorAction(services.db, services.auth, {
          operatorId: null,
          actor: 'cli',
          clientCode: input.code,
          resource: operation.resource,
          action: operation.action,
          method: operation.method,
          params,
          status,
        });
      };
      try {
        let result: unknown;
        try {
          result = await operation.execute(services, input);
        } catch (error) {
          // the command's own error is the one to report, even if recording it fails too
          await record(adminErrorStatus(error) ?? 500).catch(() => undefined);
          throw error;
        }
        await record(operation.status);
        await services.audit.flush();
        // The answer as the admin API would send it (dates as ISO-8601 text, no undefined keys),
        // so a command prints the same whether it ran here or on a server.
        const answer: unknown = result === undefined ? null : JSON.parse(JSON.stringify(result));
        return answer;
      } finally {
        await services.close();
      }
    },
  };
}

function isPage(result: unknown): result is { items: unknown[]; next_cursor: number | string | null } {
  return (
    result !== null &&
    typeof result === 'object' &&
    'items' in result &&
    Array.isArray(result.items) &&
    'next_cursor' in result &&
    (result.next_cursor === null || typeof result.next_cursor === 'number' || typeof result.next_cursor === 'string')
  );
}

function print(result: unknown, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  if (isPage(result)) {
    if (result.items.length === 0) process.stdout.write('(none)\n');
    else console.table(result.items);
    // the operator pages on with --cursor
    if (result.next_cursor !== null) process.stdout.write(`next_cursor: ${String(result.next_cursor)}\n`);
    return;
  }
  if (result === null || typeof result !== 'object') {
    process.stdout.write(`${String(result)}\n`);
    return;
  }
  for (const [key, value] of Object.entries(result)) {
    process.stdout.write(`${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : value}\n`);
  }
}

/** A path value the admin API could not route (`/clients//lots`) is refused alike on both targets. */
function requireText(name: string, value: string | undefined): void {
  if (value === '') throw new InvalidInputError(`${name}: must not be empty`, name);
}

/** How a command chose where to run: `--url`, when given. */
export interface TargetChoice {
  readonly url: string | undefined;
}

/**
 * Builds `admin <resource> <action>` from the admin operations: the same operation, schema
 * and service code as the admin API. `resolveTarget` decides, when a command runs, whether it
 * runs on the database here or on a server (src/main.ts).
 */
export function adminCommand(operations: readonly AdminOperation[], resolveTarget: (choice: TargetChoice) => Promise<AdminTarget>): Command {
  const admin = new Command('admin').description("operator commands (the admin API's operations, on the database or through a running server)");
  const resources = new Map<string, Command>();
  for (const operation of operations) {
    let resource = resources.get(operation.resource);
    if (resource === undefined) {
      resource = admin.command(operation.resource).description(`${operation.resource} commands`);
      resources.set(operation.resource, resource);
    }
    const command = resource.command(operation.action).description(operation.summary);
    const needsClient = operation.path.includes(':code');
    if (needsClient) command.requiredOption('--client <code>', 'client code');
    for (const [name, schema] of Object.entries(operation.params.properties)) {
      command.requiredOption(`--${kebab(name)} <value>`, schema.description ?? name);
    }
    for (const schema of [operation.body, operation.query]) {
      for (const [name, property] of Object.entries(schema.properties)) {
        const required = schema.required?.includes(name) ? ' (required)' : '';
        command.addOption(new Option(`--${fieldFlag(operation, name)} <value>`, `${property.description ?? name}${required}`));
      }
    }
    command.option('--data <json>', 'the whole request body as JSON (other options override its keys)');
    command.option('--json', 'print JSON');
    command.option('--url <base>', 'send the command to the server at this address, with ADMIN_TOKEN (default: PARKING_CONTROLLER_URL)');
    command.action(async (options: Record<string, unknown>) => {
      const code = typeof options.client === 'string' ? options.client : undefined;
      const params = textsFor(operation.params, options);
      requireText('code', code);
      for (const [name, value] of Object.entries(params)) requireText(name, value);
      const flag = (name: string) => fieldFlag(operation, name);
      const query = textsFor(operation.query, options, flag);
      let body: Record<string, unknown> = {};
      if (typeof options.data === 'string') {
        try {
          const parsed: unknown = JSON.parse(options.data);
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidInputError('--data must be a JSON object', 'data');
          body = { ...parsed };
        } catch (error) {
          if (error instanceof InvalidInputError) throw error;
          throw new InvalidInputError('--data is not valid JSON', 'data');
        }
      }
      body = { ...body, ...valuesFor(operation.body, options, flag) };
      const target = await resolveTarget({ url: typeof options.url === 'string' ? options.url : undefined });
      print(await target.run(operation, { code, params, query, body }), options.json === true);
    });
  }
  return admin;
}
