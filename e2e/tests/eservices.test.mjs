// E-services: with one e-ID login Astrid applies for a building permit in Karlstad and a
// parking permit for the disabled in Kil, and gets two cases in two municipalities' registries.
// Every citizen page (catalogue, start, a step with errors, review, receipt) is checked with
// axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, pathOf, url } from '../lib.mjs';

const ASTRID = '19850315-2384';
const PDF = { name: 'ritning.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% ritning\n') };
const PNG = { name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) };

/** Clicks "Spara och fortsätt" and waits for the next page. */
async function next(page) {
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
}

/** From a service's start page to its first step (logging in through single sign-on if asked). */
async function begin(page, slug, key) {
  await page.goto(url(slug, `/e-tjanster/${key}`));
  const login = page.getByRole('main').getByRole('link', { name: 'Logga in med e-legitimation' });
  if (await login.isVisible()) {
    await clickAndWait(page, login);
    await page.waitForURL(url(slug, `/e-tjanster/${key}`));
  }
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }));
  assert.match(pathOf(page), new RegExp(`^/e-tjanster/${key}/[0-9a-f-]+/(steg/\\d+|granska)$`));
}

/** Signs on the review page and returns the case number on the receipt. */
async function sign(page, name) {
  await page.getByRole('heading', { level: 1, name: 'Granska och skicka' }).waitFor();
  await checkPage(page, `${name}-review`);
  await clickAndWait(page, page.getByRole('button', { name: 'Signera och skicka in' }));
  assert.match(pathOf(page), /^\/e-tjanster\/kvitton\/[0-9a-f-]+$/);
  await page.getByRole('heading', { level: 1, name: 'Kvitto' }).waitFor();
  await page.getByRole('link', { name: 'Ladda ner kvittot (PDF)' }).waitFor();
  await checkPage(page, `${name}-receipt`);
  return (await page.locator('dt:has-text("Diarienummer") + dd').textContent()).trim();
}

describe('e-services', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  test('Astrid logs in once and finds building permits in Karlstad’s catalogue', async () => {
    await page.goto(url('karlstad', '/e-legitimation/test?next=%2Fe-tjanster'));
    await page.getByLabel('Eller skriv ett personnummer').fill(ASTRID);
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await page.waitForURL(url('karlstad', '/e-tjanster'));
    await page.getByRole('heading', { level: 1, name: 'E-tjänster' }).waitFor();
    await checkPage(page, 'es-catalogue');
    await page.getByLabel('Sök e-tjänst').fill('bygglov');
    await clickAndWait(page, page.getByRole('button', { name: 'Sök' }));
    await clickAndWait(page, page.getByRole('link', { name: 'Ansök om bygglov' }));
    await page.getByRole('heading', { level: 1, name: 'Ansök om bygglov' }).waitFor();
    await checkPage(page, 'es-start');
  });

  test('she applies for a building permit in Karlstad and gets a receipt', async () => {
    await begin(page, 'karlstad', 'bygglov');
    // Nothing answered: the error summary links each field.
    await next(page);
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns problem' });
    await summary.getByRole('link', { name: /E-postadress/ }).waitFor();
    await checkPage(page, 'es-step-errors');
    await page.getByLabel('Privatperson').check();
    await page.getByLabel('Postadress', { exact: true }).fill('Drottninggatan 1\n652 25 Karlstad');
    await page.getByLabel('E-postadress', { exact: true }).fill('astrid.lindqvist@example.se');
    await next(page);
    await page.getByLabel('Fastighetsbeteckning').fill('Karlstad Sandbäcken 1:23');
    await page.getByRole('group', { name: 'Äger du fastigheten?' }).getByLabel('Ja').check();
    await next(page);
    await page.getByLabel('Åtgärd', { exact: true }).selectOption({ label: 'Ändra fasad, färg eller fönster' });
    await page.getByLabel('Beskriv vad du vill göra').fill('Byta fönster på gatufasaden till träfönster i samma färg.');
    await next(page);
    await page.getByLabel('Situationsplan').setInputFiles(PDF);
    await page.getByLabel('Fasad- och planritningar').setInputFiles(PDF);
    await next(page);
    await page.getByLabel(/^Jag intygar/).check();
    await next(page);
    const number = await sign(page, 'es-karlstad');
    assert.match(number, /^BN \d{4}\/\d+$/, number);
  });

  test('with the same login she applies for a parking permit in Kil, where one answer is not offered', async () => {
    await begin(page, 'kil', 'parkeringstillstand');
    await page.getByLabel('Adress', { exact: true }).fill('Storgatan 5\n665 30 Kil');
    await page.getByLabel('Telefonnummer', { exact: true }).fill('0554-123 45');
    await next(page);
    await page.getByLabel('Förare', { exact: true }).check();
    const walk = page.getByRole('group', { name: 'Hur långt kan du gå utan att stanna?' });
    await walk.getByLabel('Kortare än 100 meter').check();
    assert.equal(await walk.getByLabel('Längre än 200 meter').count(), 0, 'Kil hides this option');
    await page.getByLabel('Ett år').check();
    // Without script a condition is followed on the server: the driving licence is asked next.
    await next(page);
    await page.getByLabel('Jag har ett giltigt körkort').check();
    await next(page);
    await page.getByLabel('Läkarintyg').setInputFiles(PDF);
    await page.getByLabel('Foto av dig').setInputFiles(PNG);
    await page.getByLabel(/^Jag intygar/).check();
    await next(page);
    const number = await sign(page, 'es-kil');
    assert.match(number, /^KS \d{4}\/\d+$/, number);
  });
});
