import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { mediaSamplesDir } from '../fixtures/samples';
import { startApi, startWorker, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { pollUntil } from '../support/poll';
import { freePort, RunningProcess, startProcess } from '../support/processes';

const ROOT = resolve(__dirname, '../..');
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');
const WEB_CONFIG = join(ROOT, 'apps/web/vite.config.ts');
/** Each step's screenshot, kept by CI as an artifact (git-ignored). */
const SHOTS = join(ROOT, 'test-artifacts/screenshots/web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHOTO = join(mediaSamplesDir(), 'photo-progressive.jpg');

describe('the web client, in a real browser', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let web: RunningProcess;
  let webUrl: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let step = 0;

  const shot = async (page: Page, name: string) => {
    step++;
    await page.screenshot({ path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`) });
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (!existsSync(join(ROOT, 'dist/web/index.html'))) {
      const build = spawnSync(process.execPath, [VITE, 'build', '--config', WEB_CONFIG, '--logLevel', 'warn'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`web build failed: ${build.stderr}`);
    }
    const config = testConfig();
    api = await startApi(config);
    worker = await startWorker(config);
    const port = await freePort();
    web = startProcess(VITE, { EPHEMERA_API_URL: api.url, WEB_PORT: String(port) }, [
      'preview',
      '--config',
      WEB_CONFIG,
    ]);
    webUrl = `http://127.0.0.1:${port}`;
    await pollUntil(
      () => fetch(`${webUrl}/health/live`).then((r) => r.status),
      (status) => status === 200,
      { timeoutMs: 20000, what: `web preview on ${webUrl} proxying the API: ${web.output()}` },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await web?.stop();
    await worker?.close();
    await api?.close();
  });

  async function newUser(name: string): Promise<{ page: Page; username: string }> {
    const context = await browser.newContext({ viewport: { width: 480, height: 860 }, deviceScaleFactor: 1 });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    const username = `${name}_${Math.random().toString(36).slice(2, 8)}`;
    await page.goto(webUrl);
    await page.getByTestId('auth-toggle').click();
    await page.getByTestId('auth-username').fill(username);
    await page.getByTestId('auth-display-name').fill(name[0].toUpperCase() + name.slice(1));
    await page.getByTestId('auth-password').fill('correct horse battery');
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('tab-inbox').waitFor();
    await page.getByTestId('live-status').and(page.locator('.online')).waitFor();
    return { page, username };
  }

  it('Alice sends Bob a photo; he sees it live, views it once with a countdown; she sees "Opened" live', async () => {
    const alice = await newUser('alice');
    await shot(alice.page, 'alice-signed-up');
    const bob = await newUser('bob');
    await shot(bob.page, 'bob-signed-up');

    // Friends: Alice asks, Bob's list shows the request live, he accepts.
    await alice.page.getByTestId('tab-friends').click();
    await alice.page.getByTestId('friend-username').fill(bob.username);
    await alice.page.getByTestId('friend-add').click();
    await alice.page.getByText(`Friend request sent to ${bob.username}.`).waitFor();
    await bob.page.getByTestId('tab-friends').click();
    await bob.page.getByTestId(`accept-${alice.username}`).click();
    await bob.page.getByTestId(`friend-${alice.username}`).waitFor();
    await shot(bob.page, 'bob-accepted-alice');
    await alice.page.getByTestId(`friend-${bob.username}`).waitFor();

    // Files the server refuses get a plain message: one at upload (415), one after processing (422).
    await alice.page.getByTestId('tab-send').click();
    await alice.page.getByTestId(`recipient-${bob.username}`).check();
    for (const [file, message] of [
      ['bad-text-named.jpg', 'That file type is not supported'],
      ['bad-truncated.jpg', 'That file could not be read'],
    ]) {
      await alice.page.getByTestId('compose-file').setInputFiles(join(mediaSamplesDir(), file));
      await alice.page.getByTestId('compose-send').click();
      await expectText(alice.page.getByTestId('compose-error'), message);
    }
    await shot(alice.page, 'alice-file-refused');

    // Alice picks a sample photo, previews it, chooses Bob and 3 s, and sends it.
    await alice.page.getByTestId('compose-file').setInputFiles(PHOTO);
    await alice.page.getByTestId('compose-preview').waitFor();
    await expect(alice.page.getByTestId(`recipient-${bob.username}`).isChecked()).resolves.toBe(true);
    await alice.page.getByTestId('compose-view-seconds').fill('3');
    await shot(alice.page, 'alice-composed');
    await bob.page.getByTestId('tab-inbox').click();
    await alice.page.getByTestId('compose-send').click();
    await alice.page.getByTestId('sent-list').waitFor();
    const sentItem = alice.page.locator('[data-testid^="sent-"][data-testid$="-' + bob.username + '"]').first();
    await expectText(sentItem, 'Delivered');
    await shot(alice.page, 'alice-sent');

    // Bob's inbox shows it without a reload.
    const view = bob.page.getByTestId('inbox-view').first();
    await view.waitFor();
    const snapId = await view.getAttribute('data-snap-id');
    expect(snapId).toMatch(/^[0-9a-f-]{36}$/);
    await shot(bob.page, 'bob-inbox-live');

    // He views it: the photo with a countdown, then it is gone.
    await view.click();
    await bob.page.getByTestId('viewer').waitFor();
    await bob.page.getByTestId('viewer-media').and(bob.page.locator('img')).waitFor();
    await pollUntil(
      () =>
        bob.page
          .getByTestId('viewer-media')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      (width) => width > 0,
      { what: 'the snap image loaded' },
    );
    expect(Number(await bob.page.getByTestId('viewer-countdown').textContent())).toBeGreaterThanOrEqual(1);
    await shot(bob.page, 'bob-viewing');
    await bob.page.getByTestId('viewer').waitFor({ state: 'detached', timeout: 10000 });
    await bob.page.getByTestId('inbox-empty').waitFor();
    await shot(bob.page, 'bob-snap-gone');

    // It cannot be opened again, from this page or anywhere.
    const again = await bob.page.evaluate(async (id) => {
      // Runs in the page: the browser's localStorage, typed here without the DOM library.
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
      const session = JSON.parse(storage.getItem('ephemera.session') ?? '{}') as { accessToken?: string };
      const res = await fetch(`/v1/snaps/${id}/open`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, snapId);
    expect(again).toEqual({
      status: 410,
      body: expect.objectContaining({ error: expect.objectContaining({ code: 'SNAP_ALREADY_OPENED' }) }),
    });

    // Alice's sent list says "Opened", without a reload.
    await expectText(alice.page.getByTestId(`sent-state-${snapId}-${bob.username}`), 'Opened');
    await shot(alice.page, 'alice-sees-opened');
  }, 180000);
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await pollUntil(
    () => locator.textContent(),
    (value) => (value ?? '').includes(text),
    { timeoutMs: 20000, what: `"${text}"` },
  );
}
