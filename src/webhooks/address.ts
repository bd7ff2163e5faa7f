import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import type { WebhookSettings } from './settings.js';

/**
 * The server-side request forgery rules (docs/webhooks.md#where-webhooks-may-go): a webhook goes
 * over http or https to a public address only. They are checked when an endpoint is created or
 * changed and again at every delivery (a name may resolve elsewhere by then), and a delivery
 * connects to the very addresses that were checked.
 */

/** Why a URL is refused, as a sentence an operator can act on. */
export class AddressRefused extends Error {}

interface Range {
  readonly subnet: string;
  readonly prefix: number;
}

/** Address classes refused, the first match naming the reason (metadata before link-local). */
const REFUSED_CLASSES: readonly { readonly name: string; readonly loopback?: true; readonly ranges: readonly Range[] }[] = [
  {
    name: 'a cloud metadata address',
    ranges: [
      { subnet: '169.254.169.254', prefix: 32 },
      { subnet: 'fd00:ec2::254', prefix: 128 },
    ],
  },
  {
    name: 'a loopback address',
    loopback: true,
    ranges: [
      { subnet: '127.0.0.0', prefix: 8 },
      { subnet: '::1', prefix: 128 },
    ],
  },
  {
    name: 'a link-local address',
    ranges: [
      { subnet: '169.254.0.0', prefix: 16 },
      { subnet: 'fe80::', prefix: 10 },
    ],
  },
  {
    name: 'a private address',
    ranges: [
      { subnet: '10.0.0.0', prefix: 8 },
      { subnet: '172.16.0.0', prefix: 12 },
      { subnet: '192.168.0.0', prefix: 16 },
      { subnet: 'fc00::', prefix: 7 },
      // carrier-grade NAT: a provider's private network
      { subnet: '100.64.0.0', prefix: 10 },
    ],
  },
  {
    name: 'an unspecified address',
    ranges: [
      { subnet: '0.0.0.0', prefix: 8 },
      { subnet: '::', prefix: 128 },
    ],
  },
  {
    name: 'a multicast or broadcast address',
    ranges: [
      { subnet: '224.0.0.0', prefix: 4 },
      { subnet: '255.255.255.255', prefix: 32 },
      { subnet: 'ff00::', prefix: 8 },
    ],
  },
];

const CLASSES = REFUSED_CLASSES.map((refused) => {
  const list = new net.BlockList();
  for (const range of refused.ranges) list.addSubnet(range.subnet, range.prefix, net.isIPv6(range.subnet) ? 'ipv6' : 'ipv4');
  return { ...refused, list };
});

/** Host names refused whatever they resolve to. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata']);

function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** Why `address` may not be sent to, or undefined when it may (IPv4-mapped IPv6 is read as IPv4). */
export function refusalOf(address: string, allowLoopback: boolean): string | undefined {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  const refused = CLASSES.find((refusedClass) => refusedClass.list.check(address, family));
  if (refused === undefined || (refused.loopback === true && allowLoopback)) return undefined;
  return refused.loopback === true ? `${refused.name} (allowed only with WEBHOOK_ALLOW_LOOPBACK=true)` : refused.name;
}

type AddressPolicy = Pick<WebhookSettings, 'allowLoopback' | 'resolve'>;

/** The URL of an endpoint, parsed and checked except for its addresses (no network). */
export function parseEndpointUrl(text: string, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AddressRefused(`url must be an absolute http or https URL, e.g. https://hooks.example.org/parking (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AddressRefused(`url must use http or https, not ${url.protocol.slice(0, -1)}`);
  if (url.username !== '' || url.password !== '')
    throw new AddressRefused('url must not carry a user name or password (the signature authenticates the server)');
  const hostname = hostOf(url);
  if (METADATA_NAMES.has(hostname)) throw new AddressRefused(`url names ${hostname}, a cloud metadata service: webhooks are never sent there`);
  if (isLoopbackName(hostname) && !allowLoopback)
    throw new AddressRefused(`url names ${hostname}, a loopback host: allowed only with WEBHOOK_ALLOW_LOOPBACK=true`);
  if (net.isIP(hostname) !== 0) {
    const refusal = refusalOf(hostname, allowLoopback);
    if (refusal !== undefined) throw new AddressRefused(`url names ${hostname}, ${refusal}: webhooks go to public addresses only`);
  }
  return url;
}

/** The host name without brackets (IPv6) or a trailing dot, lower-case. */
function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * Every address the endpoint's host resolves to, each checked: the addresses a delivery
 * connects to. Refused when any is refused or the name does not resolve.
 */
export async function checkedAddresses(url: URL, policy: AddressPolicy): Promise<LookupAddress[]> {
  const hostname = hostOf(parseEndpointUrl(url.href, policy.allowLoopback));
  const family = net.isIP(hostname);
  if (family !== 0) return [{ address: hostname, family }];
  let addresses: LookupAddress[];
  try {
    addresses = await policy.resolve(hostname);
  } catch {
    throw new AddressRefused(`url names ${hostname}, which does not resolve`);
  }
  if (addresses.length === 0) throw new AddressRefused(`url names ${hostname}, which does not resolve`);
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy.allowLoopback);
    if (refusal !== undefined)
      throw new AddressRefused(`url names ${hostname}, which resolves to ${address}, ${refusal}: webhooks go to public addresses only`);
  }
  return addresses;
}
