// E-services, the administrator's side: Sunne adapts the shared culture grant in ordinary forms
// (an error at its field first), the operator publishes a new shared version that changes the
// contact Sunne overrides, and Sunne compares the versions side by side and keeps its own.
// Every page is checked with axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, login, newPage, pathOf, staffPage, url } from '../lib.mjs';

const ADAPT = '/admin/e-tjanster/tjanst/kulturbidrag/anpassa';
const VERSION = '/admin/e-tjanster/tjanst/kulturbidrag/ny-version';

describe('e-services: adapting a shared service', () => {
  let browser;
  let page;
  let context;
  before(async () => {
    browser = await launch();
    ({ context, page } = await staffPage(browser, 'sunne', 'admin@sunne.se', 'es-adapt-admin'));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
  });

  test('Sunne changes the contact and the handling time; a bad number is named at its field', async () => {
    await page.goto(url('sunne', ADAPT));
    await page.getByRole('heading', { level: 1, name: /^Anpassa: / }).waitFor();
    await checkPage(page, 'es-adapt');
    const days = page.getByLabel('Handläggningstid i dagar');
    await days.fill('fyra veckor');
    const contact = page.getByRole('group', { name: 'Kontakt' }).getByLabel('Svenska');
    await contact.fill('Kultur och fritid, Sunne kommun');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara anpassningarna' }));
    await page.getByRole('heading', { name: 'Det finns problem' }).waitFor();
    const link = page.getByRole('link', { name: /Skriv handläggningstiden som ett antal dagar/ });
    assert.equal(await link.getAttribute('href'), '#a-handling_days');
    assert.equal(await days.getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'es-adapt-errors');
    await days.fill('28');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara anpassningarna' }));
    await page.getByText('Anpassningarna är sparade.').waitFor();
    assert.equal(await contact.inputValue(), 'Kultur och fritid, Sunne kommun');
  });

  test('a new shared version that changes the contact waits for Sunne’s decision', async () => {
    // The operator publishes the culture grant with a new contact, numbered above any before.
    const { context: opContext, page: op } = await newPage(browser);
    await login(op, '', 'drift@radhus.localhost');
    const def = JSON.parse(readFileSync(new URL('../../crates/eservices/services/kulturbidrag.json', import.meta.url), 'utf8'));
    def.version = Math.floor(Date.now() / 1000) - 1_700_000_000;
    def.contact = { sv: 'Kulturenheten (ny delad text)', en: 'The culture unit' };
    await op.goto(url('', '/admin/e-tjanster/delade'));
    await op.locator('textarea[name="definition"]').fill(JSON.stringify(def));
    await clickAndWait(op, op.getByRole('main').getByRole('button').last());
    assert.equal(pathOf(op), '/admin/e-tjanster/delade');
    await opContext.close();

    await page.goto(url('sunne', '/admin/e-tjanster'));
    await clickAndWait(page, page.getByRole('row', { name: /kulturbidrag/i }).getByRole('link', { name: 'ny delad version finns' }));
    assert.equal(pathOf(page), VERSION);
    await page.getByText('Kulturenheten (ny delad text)').waitFor();
    await page.getByText('Kultur och fritid, Sunne kommun').first().waitFor();
    await checkPage(page, 'es-adapt-version');
    await page.getByRole('group', { name: 'Vad ska gälla?' }).getByLabel('Behåll vår anpassning').check();
    await clickAndWait(page, page.getByRole('button', { name: /^Ta in version / }));
    assert.equal(pathOf(page), ADAPT);
    await page.getByText('Anpassningarna är sparade.').waitFor();
    assert.equal(await page.getByRole('group', { name: 'Kontakt' }).getByLabel('Svenska').inputValue(), 'Kultur och fritid, Sunne kommun');
    await page.goto(url('sunne', '/admin/e-tjanster'));
    assert.equal(await page.getByRole('row', { name: /kulturbidrag/i }).getByRole('link', { name: 'ny delad version finns' }).count(), 0);
  });
});
