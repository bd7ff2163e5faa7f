import { Command, Option } from 'commander';
import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInputError } from '../core/errors.js';
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

function valuesFor(schema: TObject | undefined, options: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    const text = options[camel(name)];
    if (typeof text === 'string') values[name] = fromText(text, property);
  }
  return values;
}

function print(result: unknown, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const page = result as { items?: unknown[] };
  if (Array.isArray(page?.items)) {
    if (page.items.length === 0) process.stdout.write('(none)\n');
    else console.table(page.items);
    return;
  }
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    process.stdout.write(`${key}: ${value instanceof Date ? value.toISOString() : typeof value === 'object' && value !== null ? JSON.stringify(value) : value}\n`);
  }
}

/**
 * Builds `admin <resource> <action>` from the admin operations: the same operation, schema
 * and service code as the admin API, without the HTTP hop. `openServices` opens the database
 * only when a command runs.
 */
export function adminCommand(operations: readonly AdminOperation[], openServices: () => Promise<AdminServices & { close(): Promise<void> }>): Command {
  const admin = new Command('admin').description('operator commands (the admin API on the same service code)');
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
    for (const [name, schema] of Object.entries(operation.params?.properties ?? {})) {
      command.requiredOption(`--${kebab(name)} <value>`, (schema as TSchema).description ?? name);
    }
    for (const schema of [operation.body, operation.query]) {
      for (const [name, property] of Object.entries(schema?.properties ?? {})) {
        const required = schema?.required?.includes(name) ? ' (required)' : '';
        command.addOption(new Option(`--${kebab(name)} <value>`, `${(property as TSchema).description ?? name}${required}`));
      }
    }
    if (operation.body) command.option('--data <json>', 'the whole request body as JSON (other options override its keys)');
    command.option('--json', 'print JSON');
    command.action(async (options: Record<string, unknown>) => {
      const params = valuesFor(operation.params, options);
      const query = valuesFor(operation.query, options);
      let body: Record<string, unknown> = {};
      if (typeof options.data === 'string') {
        try {
          body = JSON.parse(options.data);
        } catch {
          throw new InvalidInputError('--data is not valid JSON', 'data');
        }
      }
      body = { ...body, ...valuesFor(operation.body, options) };
      const services = await openServices();
      try {
        const code = typeof options.client === 'string' ? options.client : undefined;
        const result = await operation.execute(services, { code, params, query, body });
        await services.audit.flush();
        print(result, options.json === true);
      } finally {
        await services.close();
      }
    });
  }
  return admin;
}
