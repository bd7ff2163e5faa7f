import http from 'node:http';
import https from 'node:https';
import { ApiError, ConflictError, ERROR_CATALOGUE, InvalidInputError, NotFoundError, type ErrorCode } from '../core/errors.js';
import type { AdminCommandInput, AdminTarget } from './cli.js';
import type { AdminOperation } from './operation.js';

/** The server could not be reached, refused the credential, or failed: not an answer to the input. */
export class AdminServerError extends Error {}

/** Checks a server address given by an operator (`--url`, PARKING_CONTROLLER_URL). */
export function parseServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AdminServerError(`--url ${text} is not a URL: give the server's address, e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AdminServerError(`--url ${text} must be an http:// or https:// address`);
  return url;
}

/**
 * The request path of an operation: its path with `:code` and the other parameters filled in,
 * percent-encoded, and the query. Built as text and sent as is: a URL object would resolve a
 * client code `..` as a parent directory and reach another route.
 */
function requestPath(base: URL, operation: AdminOperation, input: AdminCommandInput): string {
  const path = operation.path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent((name === 'code' ? input.code : input.params[name]) ?? ''));
  const query = new URLSearchParams(input.query).toString();
  return `${base.pathname.replace(/\/+$/, '')}/admin/v1${path}${query === '' ? '' : `?${query}`}`;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'number' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/**
 * The admin API's error answer as the error the operation threw, so that main prints the same
 * line as when it runs here: `{"error","field"}` (400, 404, 409) is the domain error, and
 * `{"error","code","field"}` the shared attribute checks' ApiError. Anything else (a refused
 * credential, a server fault, a route the server does not have) says what the server answered.
 */
function answerError(base: URL, status: number, answer: unknown): Error {
  const server = `the server at ${base.origin}`;
  if (answer === null || typeof answer !== 'object' || !('error' in answer) || typeof answer.error !== 'string') {
    return new AdminServerError(`${server} answered HTTP ${status}`);
  }
  const field = 'field' in answer && typeof answer.field === 'string' ? answer.field : undefined;
  if ('statusCode' in answer) {
    // Fastify's own answer (`{"statusCode","error","message"}`): no such route on that server
    const message = 'message' in answer && typeof answer.message === 'string' ? answer.message : answer.error;
    return new AdminServerError(`${server} answered HTTP ${status}: ${message}`);
  }
  if ('code' in answer && isErrorCode(answer.code)) return new ApiError(answer.code, field);
  if (status === 400) return new InvalidInputError(answer.error, field);
  if (status === 404) return new NotFoundError(answer.error, field);
  if (status === 409) return new ConflictError(answer.error, field);
  if (status === 401) return new AdminServerError(`${server} refused the admin token (HTTP 401: ${answer.error})`);
  const requestId = 'request_id' in answer && typeof answer.request_id === 'string' ? ` (request_id ${answer.request_id})` : '';
  return new AdminServerError(`${server} answered HTTP ${status}: ${answer.error}${requestId}`);
}

function send(base: URL, method: string, path: string, token: string, body: string | undefined): Promise<{ status: number; text: string; type: string }> {
  const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}`, accept: 'application/json, text/csv' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  const options: http.RequestOptions = {
    protocol: base.protocol,
    // an IPv6 literal without its brackets
    hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port,
    method,
    path,
    headers,
  };
  return new Promise((resolve, reject) => {
    const request = (base.protocol === 'https:' ? https : http).request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), type: response.headers['content-type'] ?? '' }),
      );
      response.on('error', reject);
    });
    request.on('error', (error) => reject(new AdminServerError(`cannot reach the server at ${base.origin}: ${error.message}`)));
    request.end(body);
  });
}

/** Runs operations on a server through its admin API, with `token` as the bearer credential. */
export function httpTarget(base: URL, token: string): AdminTarget {
  return {
    async run(operation, input) {
      // A body only where the operation takes one; the others ignore what --data holds, as here.
      const body = Object.keys(operation.body.properties).length > 0 ? JSON.stringify(input.body) : undefined;
      const { status, text, type } = await send(base, operation.method, requestPath(base, operation, input), token, body);
      // a CSV answer (?format=csv) is printed as its text, as when the command runs here
      if (status >= 200 && status < 300 && type.startsWith('text/csv')) return text;
      let answer: unknown = null;
      if (text !== '') {
        try {
          answer = JSON.parse(text);
        } catch {
          throw new AdminServerError(`the server at ${base.origin} answered HTTP ${status} with something other than JSON`);
        }
      }
      if (status >= 200 && status < 300) return answer;
      throw answerError(base, status, answer);
    },
  };
}
