// Shared helpers of the Rådhus browser tests: one Chromium (Debian's /usr/bin/chromium, never a
// downloaded browser), axe-core checks, the 360 px reflow check and screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, 'screenshots');
export const PORT = process.env.RADHUS_PORT || '8080';
export const PASSWORD = 'Demo-losenord-2026';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const NARROW = 360;

/** `url('karlstad', '/logga-in')` → http://karlstad.localhost:PORT/logga-in; `url('', '/')` is the platform. */
export function url(slug, path = '/') {
  return `http://${slug ? `${slug}.` : ''}localhost:${PORT}${path}`;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * A fresh browser context with a page that records problems: uncaught script errors, console
 * errors (a CSP violation shows up here) and failed sub-resources (missing CSS, images, …).
 */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'sv-SE' });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    // The document's own 4xx status (the 404 page, a rejected form) is logged as a failed load too.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      page.problems.push(`console error: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') {
      page.problems.push(`${r.status()} for ${r.request().resourceType()} ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED is the browser cancelling a request because the page went on (the favicon
    // fetched after `load`, a navigation during a download); a resource the server fails to
    // deliver shows up as its status above.
    const error = r.failure()?.errorText;
    if (error !== 'net::ERR_ABORTED') page.problems.push(`request failed: ${r.url()} (${error})`);
  });
  return { context, page };
}

function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      at ${n.target.join(' ')}\n        ${n.html.slice(0, 200)}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** axe-core with the WCAG 2.1 A/AA rules; fails with a readable list of the violations. */
export async function expectAccessible(page, name) {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (result.violations.length > 0) {
    assert.fail(`axe: ${result.violations.length} violation(s) on ${name} (${page.url()}):\n${formatViolations(result.violations)}`);
  }
}

/** No horizontal scrolling at 360 px (WCAG 1.4.10 reflow); restores the desktop viewport. */
export async function expectReflow(page, name, { screenshot = false, axe = false } = {}) {
  await page.setViewportSize({ width: NARROW, height: 740 });
  try {
    const { scrollWidth, culprits } = await page.evaluate((limit) => {
      const culprits = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > limit + 0.5 && r.width > 0) {
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} (right edge ${Math.round(r.right)} px)`);
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 8) };
    }, NARROW);
    if (screenshot) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-360.png`), fullPage: true });
    }
    if (axe) {
      // Narrow layouts differ (scrolling tables, wrapped headers): axe again.
      await expectAccessible(page, `${name} at ${NARROW} px`);
      page.problems.splice(0);
    }
    assert.ok(
      scrollWidth <= NARROW,
      `${name} (${page.url()}) scrolls horizontally at ${NARROW} px: scrollWidth ${scrollWidth}\n  widest elements: ${culprits.join(', ')}`,
    );
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

/** Fails on script errors, console errors or failed sub-resources seen since the last call. */
export function expectNoProblems(page, name) {
  const problems = page.problems.splice(0);
  if (problems.length > 0) {
    assert.fail(`${name} (${page.url()}) had ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

/**
 * The checks made on every page: no script/CSP/resource problems, axe (WCAG 2.1 AA), no
 * horizontal scrolling at 360 px, and a full-page screenshot `screenshots/<name>.png`
 * (plus `<name>-360.png` of the narrow layout).
 */
export async function checkPage(page, name, { axe = true, problems = true } = {}) {
  await page.waitForLoadState('load');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (problems) expectNoProblems(page, name);
  else page.problems.splice(0);
  if (axe) {
    await expectAccessible(page, name);
    // axe itself may fetch style sheets and try to add <style> elements (blocked by the CSP).
    page.problems.splice(0);
  }
  await expectReflow(page, name, { screenshot: true, axe });
}

/** Logs in through the form on /logga-in of the given host. */
export async function login(page, slug, email, password = PASSWORD) {
  await page.goto(url(slug, '/logga-in'));
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord', { exact: true }).fill(password);
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
}

/** Clicks and waits for the navigation (a form post and its redirect) to finish. */
export async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
}

/** A fresh context logged in as `email` on municipality `slug`, its /admin page checked. */
export async function staffPage(browser, slug, email, name) {
  const { context, page } = await newPage(browser);
  await login(page, slug, email);
  assert.equal(new URL(page.url()).pathname, '/admin', `${email} reaches the administration`);
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  await checkPage(page, name);
  return { context, page };
}

/** Opens `path` on municipality `slug`, expects 200 (and the h1 `heading`), and checks the page. */
export async function visit(page, slug, path, name, heading) {
  const res = await page.goto(url(slug, path));
  assert.equal(res.status(), 200, `${path} answers 200`);
  if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await checkPage(page, name);
}

/** The path of the page's current address. */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/**
 * GET through the page's request context with its cookies. Node (unlike Chromium) does not
 * resolve `*.localhost`, so the request goes to 127.0.0.1 with the original Host header.
 */
export async function fetchAs(page, address) {
  const u = new URL(address);
  const cookies = (await page.context().cookies(u.href)).map((c) => `${c.name}=${c.value}`).join('; ');
  const direct = new URL(address);
  direct.hostname = '127.0.0.1';
  return page.request.get(direct.href, { headers: { host: u.host, ...(cookies ? { cookie: cookies } : {}) } });
}
