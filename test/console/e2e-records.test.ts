// The console's records screens in a real browser (Debian's chromium, driven by playwright-core)
// against a real `demo` server: the collections batch an integration's export made, with its
// CSV; a plate's vehicle with its drivers, permits and tickets; the audit filtered by endpoint;
// a token rotated, its old and new forms both accepted; a webhook endpoint refused on a private
// address, then created for a receiver in the test, tested (the signature verified with the
// secret shown once), redelivered, disabled, its secret rotated, deleted. Screenshots of the
// screens at desktop and phone widths go to test-results/console/ (not committed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/cli.js';
import { eventually, WebhookReceiver } from '../helpers/webhook-receiver.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/console');
const ADMIN_TOKEN = 'console-records-admin-token-0123456789';
const OPERATOR = { username: 'records-admin', password: 'a long enough passphrase 43', display_name: 'Records Admin', role: 'admin' } as const;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const COLLECTIONS_ENDPOINT = '/api/:client/v1/violations/send_overdue_to_collections';

describe('the console records screens in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // Never skipped: a machine without chromium fails here, saying what to install.
    if (!fs.existsSync(CHROMIUM)) throw new Error(`the console's browser test needs Debian's chromium at ${CHROMIUM}: apt-get install -y chromium`);
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-console-records-'));
    // the webhook receiver is a server of this test, on the loopback
    server = await startServer('demo', { DATA_DIR: dataDir, ADMIN_TOKEN, HOST: '127.0.0.1', WEBHOOK_ALLOW_LOOPBACK: 'true' });
    receiver = await new WebhookReceiver().start();
    // --no-sandbox: the suite runs as root in CI, where chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: DESKTOP, acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
    if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function adminCall(method: string, url: string, body?: object): Promise<any> {
    const answer = await fetch(`${server.baseUrl}/admin/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (answer.status >= 300) throw new Error(`${method} ${url} answered ${answer.status}: ${await answer.text()}`);
    return answer.json();
  }

  async function integrationCall(endpoint: string, token: string) {
    const answer = await fetch(`${server.baseUrl}/api/OC_TOMA/v1/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiToken: token }),
    });
    return { status: answer.status, body: (await answer.json()) as { batch_id: string; records: { Ticket: string }[] } };
  }

  /** The screen as it is, at desktop and phone widths. */
  async function screenshot(name: string): Promise<void> {
    for (const [width, viewport] of [
      ['1280', DESKTOP],
      ['390', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      // nothing may widen the page beyond the window: a phone would have to scroll sideways
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(DESKTOP);
  }

  it('shows the collections batch and its CSV, a plate with its records, the audit by endpoint, and rotates a token', async () => {
    await adminCall('POST', '/operators', OPERATOR);
    const integration = (await adminCall('GET', '/clients/OC_TOMA/integrations')).items[0];
    const token: string = (await adminCall('POST', '/clients/OC_TOMA/tokens', { integration: integration.id, scopes: 'all' })).token;
    const sent = await integrationCall('violations/send_overdue_to_collections', token);
    expect(sent.status).toBe(200);
    const tickets: string[] = sent.body.records.map((record: { Ticket: string }) => record.Ticket);
    expect(tickets.length).toBeGreaterThan(0);

    await page.goto(server.baseUrl);
    await page.getByLabel('Username').fill(OPERATOR.username);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const navigation = page.getByRole('navigation', { name: 'Screens' });
    await navigation.waitFor();
    await page.getByLabel('Client').selectOption('OC_TOMA');

    // Collections: the batch, its records, and its CSV
    await navigation.getByRole('link', { name: 'Collections' }).click();
    await page.getByRole('heading', { name: 'Collections', level: 1 }).waitFor();
    const batchRow = page.getByRole('row').filter({ hasText: integration.name });
    await batchRow.first().waitFor();
    await batchRow
      .first()
      .getByRole('button', { name: /^Records of the batch/ })
      .click();
    await page.getByRole('heading', { name: `Batch ${sent.body.batch_id}` }).waitFor();
    await page.getByRole('rowheader', { name: tickets[0] }).waitFor();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe(`collections-batch-OC_TOMA-${sent.body.batch_id}.csv`);
    const csv = fs.readFileSync(await csvDownload.path(), 'utf8').split('\r\n');
    expect(csv[0]).toBe('violation_id,ticket,plate,issued,due,amount');
    expect(csv.slice(1, -1).map((line) => line.split(',')[1])).toEqual(tickets);
    await screenshot('collections');

    // Users & vehicles: the demo's plate ABC123, its vehicle with drivers, permits and tickets
    await navigation.getByRole('link', { name: 'Users & vehicles' }).click();
    await page.getByRole('heading', { name: 'Users & vehicles', level: 1 }).waitFor();
    await page.getByLabel('Search for').fill('ABC123');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('list', { name: 'Vehicles found' }).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Vehicle ABC123' }).waitFor();
    await page.getByRole('heading', { name: 'Permits of ABC123' }).waitFor();
    await page.getByRole('heading', { name: 'Violations of ABC123' }).waitFor();
    await page.getByRole('heading', { name: 'Drivers' }).waitFor();
    await page.locator('[role="status"]').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
    await screenshot('users-vehicles');

    // Audit: filtered by the collections endpoint, the export call is there and nothing else
    await navigation.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    await page.getByLabel('Endpoint').fill(COLLECTIONS_ENDPOINT);
    await page.getByRole('button', { name: 'Filter', exact: true }).first().click();
    const calls = page.getByRole('table', { name: 'Integration API calls, newest first' });
    await calls.getByText(`POST ${COLLECTIONS_ENDPOINT}`).first().waitFor();
    const endpoints = await calls.locator('tbody code:not(.muted)').allTextContents();
    expect(endpoints).toEqual([`POST ${COLLECTIONS_ENDPOINT}`]);
    // an error code that is not a whole number is refused beside its field
    await page.getByLabel('Error code').fill('12.5');
    await page.getByRole('button', { name: 'Filter', exact: true }).first().click();
    await page.locator('#audit-error-code-error').waitFor();
    await page.getByLabel('Error code').fill('');
    await page.getByRole('button', { name: 'Filter', exact: true }).first().click();
    await page.locator('#audit-error-code-error').waitFor({ state: 'detached' });
    await screenshot('audit');

    // Integrations: the token rotated with a grace period, asked first; old and new both accepted
    await navigation.getByRole('link', { name: 'Integrations' }).click();
    const label = `${token.slice(0, 8)}…`;
    await page.getByRole('button', { name: `Rotate token ${label}` }).click();
    await page.getByLabel('Grace period').selectOption({ label: '1 hour' });
    await screenshot('integrations-rotate');
    await page.getByRole('button', { name: 'Confirm rotate' }).click();
    const rotated = (await page.getByLabel('New token').textContent()) ?? '';
    expect(rotated).toMatch(/^pc-/);
    expect(rotated).not.toBe(token);
    await page
      .getByText(/^Rotated: works until /)
      .first()
      .waitFor();
    await screenshot('integrations-rotated');
    expect((await integrationCall('profiles/types/list', token)).status).toBe(200);
    expect((await integrationCall('profiles/types/list', rotated)).status).toBe(200);
  });

  // Signed in by the test above, on the Integrations screen.
  it('manages a webhook endpoint in Integrations: refused address, secret shown once, test verified, redelivery, disable, rotation, deletion', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Integrations' }).click();
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhook endpoint yet.').waitFor();
    const form = section.getByRole('form', { name: 'Add a webhook endpoint' });

    // a private address is refused beside the URL field
    await form.getByLabel('URL').fill('http://10.0.0.1/hook');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form.locator('#webhook-url-error').waitFor();
    expect(await form.locator('#webhook-url-error').textContent()).toMatch(/10\.0\.0\.1/);
    expect(await form.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');

    // the receiver of this test: created, its secret shown once
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Description (optional)').fill('Billing');
    await form.getByLabel('permit.created').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await form.getByLabel('New secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const endpoint = section.getByRole('article', { name: receiver.url });
    await endpoint.getByText('permit.created', { exact: true }).waitFor();
    await form.getByRole('button', { name: 'Done' }).click();
    await form.getByLabel('New secret').waitFor({ state: 'detached' });

    // a test event: the outcome shown, the receiver got it signed with that secret
    await endpoint.getByRole('button', { name: `Send a test event to ${receiver.url}` }).click();
    await endpoint.getByText(/^Test event: Delivered: HTTP 200/).waitFor();
    const test = await eventually(() => receiver.received.find((request) => request.payload.type === 'webhook.test'), 10_000, 'the test event');
    const verified = new Webhook(secret).verify(test.body, WebhookReceiver.headers(test));
    expect(verified).toMatchObject({ type: 'webhook.test' });

    // its deliveries, and a redelivery with the same webhook-id
    await endpoint.getByRole('button', { name: `Deliveries to ${receiver.url}` }).click();
    const deliveries = endpoint.getByRole('table', { name: `Deliveries to ${receiver.url}, newest first` });
    await deliveries
      .getByRole('rowheader', { name: /webhook\.test/ })
      .first()
      .waitFor();
    await deliveries
      .getByRole('button', { name: /^Redeliver webhook\.test/ })
      .first()
      .click();
    await endpoint.getByText(/^Redelivery of webhook\.test: Delivered: HTTP 200/).waitFor();
    await deliveries.getByRole('rowheader', { name: /redelivery/ }).waitFor();
    const redelivered = await eventually(() => (receiver.received.length >= 2 ? receiver.received[1] : undefined), 10_000, 'the redelivery');
    expect(redelivered.id).toBe(test.id);
    await screenshot('integrations-webhooks');

    // disabled by the operator: shown at once, without a reload
    await endpoint.getByRole('button', { name: `Disable webhook ${receiver.url}` }).click();
    await endpoint.getByText('Disabled: disabled by an operator').waitFor();
    await endpoint.getByRole('button', { name: `Enable webhook ${receiver.url}` }).waitFor();
    await screenshot('integrations-webhook-disabled');

    // the secret rotated after a confirmation: the new one shown once, and it signs
    await endpoint.getByRole('button', { name: `Rotate the secret of webhook ${receiver.url}` }).click();
    await endpoint
      .getByRole('group', { name: `Rotate the secret of webhook ${receiver.url}?` })
      .getByRole('button', { name: 'Confirm rotate' })
      .click();
    const rotated = (await endpoint.getByLabel('New secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await endpoint.getByText(/^signs beside the new one until /).waitFor();
    const before = receiver.received.length;
    await endpoint.getByRole('button', { name: `Send a test event to ${receiver.url}` }).click();
    const second = await eventually(() => receiver.received[before], 10_000, 'the second test event');
    expect(new Webhook(rotated).verify(second.body, WebhookReceiver.headers(second))).toMatchObject({ type: 'webhook.test' });

    // deleted after a confirmation, with the keyboard: the question takes the focus on Cancel
    await endpoint.getByRole('button', { name: `Delete webhook ${receiver.url}` }).focus();
    await page.keyboard.press('Enter');
    const question = endpoint.getByRole('group', { name: `Delete webhook ${receiver.url}?` });
    await expect.poll(() => question.getByRole('button', { name: 'Cancel' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await section.getByText('No webhook endpoint yet.').waitFor();
    expect((await adminCall('GET', '/clients/OC_TOMA/webhooks')).items).toEqual([]);
  });

  it('shows a finance operator the Integrations screen without the Webhooks section, which the server refuses it', async () => {
    const finance = { username: 'records-finance', password: 'a long enough passphrase 44', display_name: 'Finance', role: 'finance', client: 'OC_TOMA' };
    await adminCall('POST', '/operators', finance);
    const context = await browser.newContext({ viewport: DESKTOP });
    try {
      const financePage = await context.newPage();
      await financePage.goto(server.baseUrl);
      await financePage.getByLabel('Username').fill(finance.username);
      await financePage.getByLabel('Password').fill(finance.password);
      await financePage.getByRole('button', { name: 'Sign in' }).click();
      await financePage.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Integrations' }).click();
      await financePage.getByRole('heading', { name: 'Demo pay station' }).waitFor();
      expect(await financePage.getByRole('region', { name: 'Webhooks' }).count()).toBe(0);
      const refused = await financePage.evaluate(async () => (await fetch('/admin/v1/clients/OC_TOMA/webhooks')).status);
      expect(refused).toBe(403);
    } finally {
      await context.close();
    }
  });
}, 180_000);
