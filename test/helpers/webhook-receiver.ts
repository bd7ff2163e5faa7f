import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got: its webhook headers and raw body. */
export interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly at: number;
  /** The parsed body. */
  readonly payload: { type: string; timestamp: string; seq?: number; data: Record<string, unknown> };
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Resolves when the answer may be sent (a receiver that holds a request). */
  readonly after?: Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as `respond` says (200 by default). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  respond: (request: Received, index: number) => Answer = () => ({ status: 200 });
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const header = (name: string) => String(request.headers[name] ?? '');
      const received: Received = {
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
        body,
        at: Date.now(),
        payload: JSON.parse(body),
      };
      this.received.push(received);
      const answer = this.respond(received, this.received.length - 1);
      const send = () => {
        if (!response.destroyed) response.writeHead(answer.status, answer.headers ?? {}).end('ok');
      };
      if (answer.after === undefined) send();
      else void answer.after.then(send);
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The headers as a verifier takes them. */
  static headers(received: Received): Record<string, string> {
    return { 'webhook-id': received.id, 'webhook-timestamp': received.timestamp, 'webhook-signature': received.signature };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Waits until `check` returns a value other than undefined (polling), or fails after `ms`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 10_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
