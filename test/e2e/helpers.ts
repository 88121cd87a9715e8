// Browser-test helpers: the real server (`shuan serve` as a child process on a fresh embedded PostgreSQL
// with the demo city), Debian's chromium through playwright-core, page diagnostics, and Ant Design
// widget helpers that act the way a person does (click, type, pick the option by its visible text).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOTP } from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const CHROMIUM = '/usr/bin/chromium';

/** Demo city credentials (src/modules/org/demo-city.ts). Demo only: public by design. */
export const DEMO_PASSWORD = 'Shuan#Demo2026';
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export function totpNow(secret = DEMO_TOTP_SECRET): string {
  return new TOTP({ secret }).generate();
}

// ---------------------------------------------------------------------------------------------------
// The server

export interface RunningServer {
  url: string;
  dataDir: string;
  /** The last lines the server printed (stdout and stderr), for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

const LISTENING = /listening: (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts `node bin/shuan.mjs serve` on a fresh data directory (embedded PostgreSQL; the demo city loads on
 * the first start) and resolves once it prints its address.
 */
export async function startServer({ timeoutMs = 100_000 } = {}): Promise<RunningServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shuan-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SHUAN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.SHUAN_WEB_DIR;

  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'shuan.mjs'), 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const remember = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 300) lines.shift();
    }
  };
  const output = () => lines.join('\n');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let running = true;
  void exited.then(() => {
    running = false;
  });
  // Backstop if the test process itself ends without running afterAll (never leave a server behind):
  // only synchronous work is possible here.
  const onExit = () => {
    if (running) child.kill('SIGKILL');
    killPostmaster(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (running) {
      child.kill('SIGTERM');
      const ok = await Promise.race([exited.then(() => true), delay(30_000).then(() => false)]);
      if (!ok) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    // The server stops its PostgreSQL on SIGTERM; if it could not, do it here so nothing is left running.
    killPostmaster(dataDir);
    await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`shuan serve did not report "listening:" within ${timeoutMs / 1000} s`)), timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        remember(chunk);
        buffer += chunk;
        const m = LISTENING.exec(buffer);
        if (m) {
          clearTimeout(timer);
          buffer = '';
          resolve(m[1] as string);
        } else if (buffer.length > 100_000) {
          buffer = buffer.slice(-1000);
        }
      });
      child.stderr.setEncoding('utf8').on('data', remember);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`shuan serve exited before listening (code ${code}, signal ${signal})`));
      });
    });
    return { url, dataDir, output, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output()}`);
  }
}

function killPostmaster(dataDir: string): void {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown
  } catch {
    /* not running */
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------
// The browser

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page (pageerror). */
  pageErrors: string[];
  /** console.error messages and failed requests, for failure reports. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Throws (the run fails, it is never skipped) when Debian's chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the browser tests need Debian's chromium and a CJK font ` +
        '(apt-get install -y chromium fonts-wqy-microhei; .ci/run installs them).',
    );
  }
}

/** Launches Debian's chromium headless (no context yet). Fails (never skips) when chromium is missing. */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** One person in a browser test: their own logged-in session, and the context `step` reports with. */
export interface Person {
  ctx: { server: RunningServer; session: BrowserSession };
  page: Page;
}

/**
 * The cast of a describe block that several people act in: one server and one Chromium for the block
 * (started in beforeAll — chromium checked first, so a missing browser fails at once and never skips —
 * and stopped in afterAll), one logged-in session per demo user, made on first use and kept so each person
 * keeps their own cookies from step to step, and `visitor()` for a session with no login (the public portal).
 */
export function castOfPeople() {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];
  const people = new Map<string, Promise<Person>>();

  beforeAll(async () => {
    requireChromium();
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => {});
    await browser?.close().catch((err) => console.error(`closing chromium failed: ${(err as Error).message}`));
    await server?.stop();
  });

  function started(): { server: RunningServer; browser: Browser } {
    if (!server || !browser) throw new Error('setup did not complete');
    return { server, browser };
  }

  /** A new session with no login (its own cookies). */
  async function visitor(): Promise<Person> {
    const { server, browser } = started();
    const session = await openSession(browser, server.url);
    sessions.push(session);
    return { ctx: { server, session }, page: session.page };
  }

  /** The person logged in as `username` (TOTP for privileged roles); `key` keeps a second session of one user apart. */
  function person(username: string, { totp = false, key = username } = {}): Promise<Person> {
    let p = people.get(key);
    if (!p) {
      p = (async () => {
        const who = await visitor();
        await step(`login-${key}`, who.ctx, () => login(who.page, username, { totp }));
        return who;
      })();
      people.set(key, p);
    }
    return p;
  }

  /** Every session opened so far (for a last check of uncaught page errors). */
  const opened = (): readonly BrowserSession[] => sessions;
  return { server: () => started().server, person, visitor, sessions: opened };
}

/**
 * A fresh browser context (its own cookies: one person) with a zh-CN page and the page diagnostics.
 * Its close() closes only this context; the browser stays for other people.
 */
export async function openSession(browser: Browser, baseURL: string): Promise<BrowserSession> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1400, height: 900 },
  });
  try {
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()}${msg.location().url ? ` (${msg.location().url})` : ''}`);
    });
    page.on('requestfailed', (req) => consoleErrors.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
    return {
      browser,
      context,
      page,
      pageErrors,
      consoleErrors,
      close: async () => {
        await context.close();
      },
    };
  } catch (err) {
    await context.close().catch(() => {});
    throw err;
  }
}

/** Launches Debian's chromium headless with a zh-CN page. Fails (never skips) when chromium is missing. */
export async function launchBrowser(baseURL: string): Promise<BrowserSession> {
  const browser = await launchChromium();
  try {
    const session = await openSession(browser, baseURL);
    return {
      ...session,
      close: async () => {
        await session.context.close().catch(() => {});
        await browser.close();
      },
    };
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}

/**
 * Logs in through the login page as a person does and waits for the home page; `totp` fills the
 * authenticator code (privileged demo accounts have the demo TOTP secret).
 */
export async function login(page: Page, username: string, { password = DEMO_PASSWORD, totp = false } = {}): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  if (totp) await page.getByTestId('login-totp').fill(totpNow());
  await page.getByTestId('login-submit').click();
  await page.getByTestId('welcome-card').waitFor();
}

/**
 * Runs one step of a flow; on failure saves a full-page screenshot under test-results/ and rethrows with
 * the step name, the screenshot path, the page's errors and console errors, and the server's last lines.
 */
export async function step<T>(name: string, s: { session: BrowserSession; server: RunningServer }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as Error;
    let shot = '(no screenshot)';
    try {
      await fs.mkdir(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `e2e-${name.replace(/[^\w.-]+/g, '_')}-${Date.now()}.png`);
      await s.session.page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
      shot = path.relative(ROOT, file);
    } catch (shotErr) {
      shot = `(screenshot failed: ${(shotErr as Error).message})`;
    }
    const report = [
      `step "${name}" failed: ${e.message}`,
      `screenshot: ${shot}`,
      `page URL: ${s.session.page.url()}`,
      `page errors: ${s.session.pageErrors.length ? `\n  ${s.session.pageErrors.join('\n  ')}` : 'none'}`,
      `console errors: ${s.session.consoleErrors.length ? `\n  ${s.session.consoleErrors.join('\n  ')}` : 'none'}`,
      `server output (last lines):\n${s.server.output().split('\n').slice(-30).join('\n')}`,
    ].join('\n');
    const wrapped = new Error(report, { cause: err });
    if (e.stack) wrapped.stack = `${report}\n${e.stack.split('\n').slice(1).join('\n')}`;
    throw wrapped;
  }
}

/** With E2E_SCREENSHOTS=1, saves a screenshot of the page under test-results/ (to look at what a person sees). */
export async function snap(page: Page, name: string): Promise<void> {
  if (!process.env.E2E_SCREENSHOTS) return;
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `snap-${name}.png`) });
}

// ---------------------------------------------------------------------------------------------------
// Waiting and Ant Design widgets

/** Polls `fn` until it returns true (or throws the last error / times out with `what`). */
export async function waitUntil(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let wait = 50; ; wait = Math.min(wait * 2, 400)) {
    try {
      if (await fn()) return;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await delay(wait);
  }
}

/**
 * Waits until an element's open/close animation (rc-motion: `*-appear`, `*-enter`, `*-leave` classes) is over,
 * so a click lands on a settled modal or popup.
 */
export async function motionDone(locator: Locator): Promise<void> {
  await waitUntil(`the animation of ${locator} to end`, async () => {
    const cls = await locator.first().getAttribute('class', { timeout: 2_000 });
    return cls !== null && !/-(appear|enter|leave)(\s|$|-)/.test(cls);
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The open (visible) Select / TreeSelect popup. */
export function openPopup(page: Page): Locator {
  return page.locator('.ant-select-dropdown').filter({ visible: true });
}

/**
 * Picks an option of an antd Select by its visible text (the text the option starts with: labels may
 * carry tags after it). With `search`, types it first (Selects with showSearch filter their options).
 */
export async function pickOption(page: Page, select: Locator, text: string, opts: { search?: string } = {}): Promise<void> {
  await select.click();
  if (opts.search) await page.keyboard.type(opts.search);
  const popup = openPopup(page);
  await popup.waitFor();
  await motionDone(popup);
  const option = popup.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${escapeRe(text)}`) });
  await option.first().click();
  await popup.waitFor({ state: 'hidden' });
  await waitUntil(`the select to show "${text}"`, async () => (await select.innerText()).includes(text));
}

/** Picks an institution in an antd TreeSelect: types its name into the search and clicks the exact match. */
export async function pickTreeOption(page: Page, select: Locator, name: string): Promise<void> {
  await select.click();
  await page.keyboard.type(name);
  const popup = openPopup(page);
  await popup.waitFor();
  await motionDone(popup);
  const title = popup.locator('.ant-select-tree-title').getByText(name, { exact: true });
  await title.first().click();
  await popup.waitFor({ state: 'hidden' });
  await waitUntil(`the tree select to show "${name}"`, async () => (await select.innerText()).includes(name));
}

/** Text of each body row of an antd Table (placeholder "no data" rows excluded). */
export async function tableRows(table: Locator): Promise<string[]> {
  return table.locator('tbody tr.ant-table-row').allInnerTexts();
}

/**
 * Whether a CJK font is installed and used: two different Chinese characters drawn with the page's font
 * must differ (without a CJK font both are drawn as the same "tofu" box).
 */
export async function cjkGlyphsRender(page: Page): Promise<boolean> {
  // A string, not a function: the Node-side tsconfig has no DOM types.
  return page.evaluate<boolean>(`(() => {
    const font = '32px ' + getComputedStyle(document.body).fontFamily;
    const draw = (ch) => {
      const canvas = document.createElement('canvas');
      canvas.width = 40;
      canvas.height = 40;
      const ctx = canvas.getContext('2d');
      ctx.font = font;
      ctx.fillStyle = '#000';
      ctx.textBaseline = 'top';
      ctx.fillText(ch, 2, 2);
      return Array.from(ctx.getImageData(0, 0, 40, 40).data);
    };
    const a = draw('数');
    const b = draw('安');
    const inked = a.some((v, i) => i % 4 === 3 && v > 0);
    return inked && a.some((v, i) => v !== b[i]);
  })()`);
}

/**
 * Sets an antd DatePicker as a person does: types the date (YYYY-MM-DD, the pickers' format) into its input,
 * which turns the calendar to that month, and clicks that day (not Enter: in a form that would also submit
 * it). Waits for the popup to close and the input to hold the date.
 */
export async function pickDate(page: Page, picker: Locator, date: string): Promise<void> {
  const input = (await picker.evaluate((el) => el.tagName)) === 'INPUT' ? picker : picker.locator('input').first();
  await input.click();
  const popup = page.locator('.ant-picker-dropdown').filter({ visible: true });
  await popup.waitFor();
  await motionDone(popup);
  await input.fill(date);
  await popup.locator(`td.ant-picker-cell-in-view[title="${date}"]`).click();
  await popup.waitFor({ state: 'hidden' });
  await waitUntil(`the date picker to show ${date}`, async () => (await input.inputValue()) === date);
}

// ---------------------------------------------------------------------------------------------------
// Small waits and the API as the signed-in person (for seeding data a test needs)

/** Waits for the open antd modal (its dialog, not the zero-size root carrying the test id) to settle. */
export async function openModal(page: Page): Promise<void> {
  const dialog = page.locator('.ant-modal').filter({ visible: true });
  await dialog.waitFor();
  await motionDone(dialog);
}

/** Waits for the open antd drawer to settle. */
export async function openDrawer(page: Page): Promise<void> {
  const drawer = page.locator('.ant-drawer-content-wrapper').filter({ visible: true });
  await drawer.waitFor();
  await motionDone(drawer);
}

/**
 * Lets success messages go before clicking what they may cover (a drawer's close button sits under the top
 * message). A message stays while the pointer is over it, and Playwright's pointer rests where it last
 * clicked, so move it away first, as a person would, then wait for the messages to leave.
 */
export async function messagesGone(page: Page): Promise<void> {
  await page.mouse.move(5, (page.viewportSize()?.height ?? 800) - 5);
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** Closes the open antd drawer with its close button, once no message covers it. */
export async function closeOpenDrawer(page: Page): Promise<void> {
  await messagesGone(page);
  await page.locator('.ant-drawer-close').filter({ visible: true }).click();
}

export async function waitForAttr(locator: Locator, attr: string, value: string): Promise<void> {
  await waitUntil(`${attr}="${value}" on ${locator}`, async () => (await locator.getAttribute(attr, { timeout: 2_000 })) === value);
}

export async function expectText(locator: Locator, text: string): Promise<void> {
  await waitUntil(`"${text}" in ${locator}`, async () => (await locator.innerText({ timeout: 2_000 })).includes(text));
}

/** Types into an antd Input.Search and presses Enter (which runs the search). */
export async function searchIn(search: Locator, text: string): Promise<void> {
  const input = (await search.evaluate((el) => el.tagName)) === 'INPUT' ? search : search.locator('input');
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Calls the API with the page's session (its cookies and, for writes, the CSRF token of GET /api/me), as
 * the web app does; for data a browser test needs but does not itself exercise.
 */
export async function apiAs<T = unknown>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
  if (method !== 'GET') {
    const me = await page.request.get('/api/me');
    if (me.status() !== 200) throw new Error(`GET /api/me: HTTP ${me.status()}`);
    headers['x-csrf-token'] = ((await me.json()) as { csrfToken: string }).csrfToken;
  }
  const res = await page.request.fetch(path, { method, headers, data: body });
  const text = await res.text();
  return { status: res.status(), body: (text ? JSON.parse(text) : undefined) as T };
}
