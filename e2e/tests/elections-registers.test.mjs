// The election office's registers (buildings, premises with a photo, persons with experience),
// the import of persons from a file with its preview, and the import of districts and polling
// places from the Valmyndigheten-shaped Värmland file into a new election, in Kil.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, pathOf, staffPage, visit as visitPage } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const VALLOKALER = join(here, '..', '..', 'data', 'valmyndigheten', 'vallokaler-varmland-2026.json');
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A valid personnummer (YYYYMMDD-NNNC) with a random birth date and serial. */
function pnr() {
  const y = 1950 + Math.floor(Math.random() * 50);
  const md = `${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`;
  const serial = String(1 + Math.floor(Math.random() * 998)).padStart(3, '0');
  const nine = `${String(y).slice(2)}${md}${serial}`;
  const sum = [...nine].reduce((acc, ch, i) => {
    const d = Number(ch) * (i % 2 === 0 ? 2 : 1);
    return acc + Math.floor(d / 10) + (d % 10);
  }, 0);
  return `${y}${md}-${serial}${(10 - (sum % 10)) % 10}`;
}

/** The same number with a wrong check digit. */
function wrong(n) {
  return `${n.slice(0, -1)}${(Number(n.slice(-1)) + 1) % 10}`;
}

describe('election registers and imports in Kil', () => {
  let browser;
  const stamp = Date.now().toString(36);

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  const visit = (page, address, name, heading) => visitPage(page, 'kil', address, name, heading);

  test('the office keeps buildings, premises and persons, and imports files with a preview', async () => {
    const { context, page } = await staffPage(browser, 'kil', 'admin@kil.se', 'reg-admin');
    try {
      await visit(page, '/admin/val/register', 'reg-overview', 'Register');

      // A building, then premises in it with a photo.
      await visit(page, '/admin/val/register/byggnader', 'reg-buildings', 'Byggnader');
      await page.locator('#b-name').fill(`Kilskolan ${stamp}`);
      await page.locator('#b-address').fill('Skolvägen 1, Kil');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till byggnaden' }));
      assert.match(pathOf(page), /^\/admin\/val\/register\/byggnader\/[0-9a-f-]{36}$/);
      await checkPage(page, 'reg-building');

      await visit(page, '/admin/val/register/lokaler', 'reg-premises-list', 'Lokaler');
      await page.locator('#p-name').fill(`Matsalen ${stamp}`);
      await page.locator('#p-building').selectOption({ label: `Kilskolan ${stamp}` });
      await page.locator('#p-postal').fill('66531');
      await page.locator('#p-lat').fill('59,5010');
      await page.locator('#p-lon').fill('13,3100');
      await page.locator('#p-capacity').fill('120');
      await page.locator('#p-access').fill('Entré i markplan, handikapptoalett');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till lokalen' }));
      assert.match(pathOf(page), /^\/admin\/val\/register\/lokaler\/[0-9a-f-]{36}$/);
      await checkPage(page, 'reg-premises');
      await page.locator('#ph-file').setInputFiles({ name: 'entre.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('#ph-caption').fill('Entrén från skolgården');
      await clickAndWait(page, page.getByRole('button', { name: 'Ladda upp bilden' }));
      await page.getByRole('img', { name: 'Entrén från skolgården' }).waitFor();
      await checkPage(page, 'reg-premises-photo');

      // A person with experience from an earlier election; bad input is shown at its fields
      // (issue 18): the summary links to each field, which carries its message.
      await visit(page, '/admin/val/register/personer', 'reg-persons', 'Personer');
      await page.locator('#f-given').fill('Signe');
      const signe = pnr();
      await page.locator('#f-pnr').fill(wrong(signe));
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till personen' }));
      const summary = page.locator('.ds-error-summary');
      await summary.getByRole('link', { name: 'Efternamn: Skriv efternamnet.' }).waitFor();
      assert.equal(await summary.locator('a[href="#f-pnr"]').count(), 1);
      assert.equal(await page.locator('#f-family').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#f-family').getAttribute('aria-describedby'), 'f-family-error');
      assert.equal(await page.locator('#f-family-error').textContent(), 'Skriv efternamnet.');
      assert.match(await page.locator('#f-pnr-error').textContent(), /kontrollsiffran stämmer inte/);
      assert.equal(await page.locator('#f-given').inputValue(), 'Signe', 'what was typed is kept');
      await checkPage(page, 'reg-persons-error');
      assert.equal(await summary.getByRole('link', { name: 'Efternamn: Skriv efternamnet.' }).getAttribute('href'), '#f-family');
      await page.locator('#f-family').fill(`Lund${stamp}`);
      await page.locator('#f-pnr').fill(signe);
      await page.locator('#f-lang').fill('finska');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till personen' }));
      assert.match(pathOf(page), /^\/admin\/val\/register\/personer\/[0-9a-f-]{36}$/);
      await checkPage(page, 'reg-person-new');
      await page.locator('#h-year').fill('2022');
      await page.locator('#h-role').selectOption('vice');
      await page.locator('#h-place').fill('Kil centrum');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till erfarenhet' }));
      await page.getByRole('cell', { name: 'Kil centrum' }).waitFor();
      await checkPage(page, 'reg-person');

      // Import persons: one good row, one with a wrong check digit; import only the good one.
      await visit(page, '/admin/val/register/import', 'reg-import', 'Importera från fil');
      const csv = `förnamn;efternamn;personnummer;e-post;telefon;adress;postnummer;ort;språk\nOlle;Ås${stamp};${pnr()};olle@example.se;070-111 22 33;Storgatan 9;66530;Kil;arabiska\nPia;Fel${stamp};${wrong(pnr())};;;;;;\n`;
      await page.locator('#file').setInputFiles({ name: 'personer.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}`) });
      await clickAndWait(page, page.getByRole('button', { name: 'Läs in filen' }));
      assert.match(pathOf(page), /^\/admin\/val\/register\/import\/[0-9a-f-]{36}$/);
      await page.getByText('Personnummer: Kontrollera personnumret: kontrollsiffran stämmer inte.').waitFor();
      await checkPage(page, 'reg-import-preview');
      await page.getByLabel('Importera bara de 1 raderna utan fel').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Genomför' }));
      await page.getByText('1 skapades.').waitFor();
      await checkPage(page, 'reg-import-done');
      await visit(page, `/admin/val/register/personer?q=${stamp}`, 'reg-persons-search', 'Personer');
      await page.getByRole('link', { name: `Ås${stamp}, Olle` }).waitFor();

      // A new election gets its districts and polling places from the Värmland file.
      await visit(page, '/admin/val', 'reg-elections', 'Valadministration');
      await page.locator('#name').fill(`Provval ${stamp}`);
      await page.locator('#election_day').fill('2026-09-13');
      await page.locator('#early_from').fill('2026-08-26');
      await page.locator('#early_to').fill('2026-09-13');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa valet' }));
      const election = pathOf(page);
      assert.match(election, /^\/admin\/val\/[0-9a-f-]{36}$/);
      await checkPage(page, 'reg-election');
      await visit(page, `${election}/import`, 'valimport-upload', 'Importera valdistrikt och lokaler');
      await page.locator('#file').setInputFiles(VALLOKALER);
      await clickAndWait(page, page.getByRole('button', { name: 'Läs in filen' }));
      await page.getByText('Rader för andra kommuner (hoppas över)').waitFor();
      await checkPage(page, 'valimport-preview');
      await page.getByLabel('Importera alla 8 rader').check();
      await clickAndWait(page, page.getByRole('button', { name: 'Genomför' }));
      await page.getByText('8 skapades.').waitFor();
      await checkPage(page, 'valimport-done');
      await visit(page, `${election}/struktur`, 'valimport-structure');
      await page.getByText('Kils församlingshem').first().waitFor();
    } finally {
      await context.close();
    }
  });
});
