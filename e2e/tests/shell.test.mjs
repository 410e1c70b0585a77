// The web shell (issue 18 items 1, 4, 6, 8): errors at the fields, tables and checkboxes on a
// phone, the resident's own pages after an e-ID login, and every page's footer statements.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, login, newPage, url } from '../lib.mjs';

const ADMIN = 'admin@karlstad.se';

describe('web shell', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a refused form shows an error summary linked to the fields', async () => {
    const { context, page } = await newPage(browser);
    await login(page, '', 'drift@radhus.localhost');
    await page.goto(url('', '/admin/kommuner/ny'));
    await page.getByLabel('E-post (frivilligt)').waitFor();
    await page.getByLabel('Namn', { exact: true }).fill('');
    await page.getByLabel('Kommunkod').fill('12');
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
    const summary = page.locator('.ds-error-summary');
    await summary.getByRole('heading', { name: 'Det finns fel i formuläret' }).waitFor();
    // The summary has the focus, so a screen reader reads it first.
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary', null, { timeout: 5_000 });
    const name = page.locator('#name');
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.match(await name.getAttribute('aria-describedby'), /name-error/);
    await page.locator('#name-error').getByText('Skriv kommunens namn, högst 100 tecken.').waitFor();
    assert.equal(await page.locator('#kommunkod').inputValue(), '12', 'what was typed is kept');
    await checkPage(page, 'shell-form-errors');
    // Each entry leads to its field.
    await summary.getByRole('link', { name: /^Namn:/ }).click();
    assert.equal(new URL(page.url()).hash, '#name');
    await context.close();
  });

  test('the footer links the statements first; the pages are readable on a phone', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(url('karlstad', '/'));
    const footer = page.getByRole('contentinfo');
    const links = await footer.getByRole('link').allTextContents();
    const api = links.indexOf('API och utvecklardokumentation');
    assert.ok(api > links.indexOf('Tillgänglighetsredogörelse') && api > links.indexOf('Personuppgifter och kakor'), links.join(', '));
    await clickAndWait(page, footer.getByRole('link', { name: 'Tillgänglighetsredogörelse' }));
    await page.getByRole('heading', { level: 1, name: 'Tillgänglighetsredogörelse' }).waitFor();
    await page.getByText('Karlstads kommun står bakom den här webbplatsen').waitFor();
    await checkPage(page, 'shell-accessibility-statement');
    await clickAndWait(page, page.getByRole('contentinfo').getByRole('link', { name: 'Personuppgifter och kakor' }));
    await page.getByRole('heading', { level: 1, name: 'Så behandlar vi dina personuppgifter' }).waitFor();
    await checkPage(page, 'shell-privacy-notice');
    await context.close();
  });

  test('the administrator edits the statement', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'karlstad', ADMIN);
    await clickAndWait(page, page.getByRole('link', { name: /Tillgänglighet och personuppgifter/ }));
    await page.getByRole('heading', { level: 1, name: 'Tillgänglighetsredogörelse' }).waitFor();
    await checkPage(page, 'shell-statement-edit');
    const text = page.getByLabel('Text');
    await text.fill('');
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
    await page.locator('#body-error').getByText('Skriv sidans text').waitFor();
    await checkPage(page, 'shell-statement-edit-error');
    await page.getByLabel('Text').fill('Karlstads egen redogörelse.\n\n## Kända brister\n- Äldre PDF-filer är inte tillgängliga.');
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
    await page.getByText('Texten är sparad').waitFor();
    await page.goto(url('karlstad', '/tillganglighet'));
    await page.getByRole('heading', { level: 2, name: 'Kända brister' }).waitFor();
    // Back to the default for the other tests.
    await page.goto(url('karlstad', '/admin/redogorelser/tillganglighet'));
    await clickAndWait(page, page.getByRole('button', { name: 'Återställ standardtexten' }));
    await page.getByText('Standardtexten visas igen.').waitFor();
    await page.getByText('Sidan visar standardtexten').waitFor();
    await context.close();
  });

  test('tables scroll with a visible hint and checkboxes are 24 px on a phone', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'karlstad', ADMIN);
    await page.goto(url('karlstad', '/admin/roller'));
    await page.setViewportSize({ width: 360, height: 740 });
    const hint = await page.locator('.table-wrap').first().evaluate((el) => getComputedStyle(el, '::before').content);
    assert.match(hint, /Rulla i sidled/);
    const box = await page.locator('input[type=checkbox]').first().boundingBox();
    assert.ok(box.width >= 24 && box.height >= 24, `checkbox ${box.width}×${box.height}`);
    // Every column is still there, reachable by scrolling the table's region.
    const headers = await page.locator('.table-wrap table th').evaluateAll((ths) => ths.map((th) => getComputedStyle(th).display));
    assert.ok(headers.every((d) => d !== 'none'), 'no column is hidden');
    await page.setViewportSize({ width: 1280, height: 800 });
    await checkPage(page, 'shell-roles');
    await context.close();
  });

  test("after an e-ID login the start page offers the resident's own pages", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(url('karlstad', '/e-legitimation/test'));
    await page.locator('input[type=radio][name=person]').first().check();
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await page.waitForURL(url('karlstad', '/'));
    await page.getByRole('heading', { level: 2, name: 'Dina sidor' }).waitFor();
    const yours = page.locator('#dina-sidor');
    await yours.getByRole('link', { name: /Mina ärenden/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Kommunens tjänster' }).waitFor();
    await checkPage(page, 'shell-citizen-start');
    await context.close();
  });
});
