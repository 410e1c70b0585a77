// Election logistics in Kil: the election office creates an election with a district, a
// vallokal and a shift, adds item types, fills the vallokaler with a standard kit, marks the
// station's checklist, opens the packing list (page and PDF), previews a campaign to an empty
// group, sets the arvode rates and downloads the reports. Every page is checked (axe WCAG 2.1
// AA, 360 px).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, staffPage, url } from '../lib.mjs';

const ADMIN = 'admin@kil.se';
const STAMP = Date.now().toString(36);
const ELECTION = `Logistikprov ${STAMP}`;
const DISTRICT = `1715${String(Date.now() % 10000).padStart(4, '0')}`;
const STATION = `Logistikskolan ${STAMP}`;
const ITEM_A = `Valsedlar riksdag – Provpartiet ${STAMP}`;
const ITEM_B = `Röstskärm ${STAMP}`;

describe('election logistics in Kil', () => {
  let browser;

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('material, campaigns and reports', async () => {
    const { context, page } = await staffPage(browser, 'kil', ADMIN, 'logistics-admin');
    try {
      // An election with a district, a vallokal and a shift, through the lead's pages.
      await page.goto(url('kil', '/admin/val'));
      await checkPage(page, 'logistics-elections');
      await page.locator('#name').fill(ELECTION);
      await page.locator('#election_day').fill('2026-09-13');
      await clickAndWait(page, page.locator('form[action="/admin/val"] button[type="submit"]'));
      await page.getByRole('heading', { level: 1, name: ELECTION }).waitFor();
      const election = new URL(page.url()).pathname.split('/').pop();
      await checkPage(page, 'logistics-election');
      assert.ok(await page.getByRole('link', { name: 'Material och utrustning' }).isVisible());

      await page.goto(url('kil', `/admin/val/${election}/struktur`));
      await page.getByRole('heading', { level: 1, name: 'Valets struktur' }).waitFor();
      await page.getByText('Valet har inga valdistrikt ännu.').waitFor();
      await checkPage(page, 'logistics-structure');
      await page.getByText('Lägg till valdistrikt').click();
      await page.locator('#d-code').fill(DISTRICT);
      await page.locator('#d-name').fill('Provdistriktet');
      await clickAndWait(page, page.locator('form[action$="/distrikt"] button[type="submit"]'));
      await page.getByRole('row', { name: new RegExp(`^${DISTRICT} Provdistriktet`) }).waitFor();
      await checkPage(page, 'logistics-structure-district');
      await page.getByText('Lägg till lokal').click();
      await page.locator('#s-name').fill(STATION);
      await page.locator('#s-address').fill('Skolgatan 3, Kil');
      await page.locator('#s-lat').fill('59,5035');
      await page.locator('#s-lon').fill('13,3190');
      await page.locator('#s-district').selectOption(DISTRICT);
      await clickAndWait(page, page.locator('form[action$="/lokaler"] button[type="submit"]'));
      await page.getByRole('heading', { level: 1, name: STATION }).waitFor();
      await checkPage(page, 'logistics-station');
      await page.goto(url('kil', `/admin/val/${election}/struktur`));
      await page.getByRole('row', { name: new RegExp(`^${STATION} .*${DISTRICT} Provdistriktet`) }).waitFor();
      await checkPage(page, 'logistics-structure-station');
      await page.getByText('Lägg till pass').click();
      await page.locator('#sh-name').fill('Hela dagen');
      await page.locator('#sh-starts').fill('07:30');
      await page.locator('#sh-ends').fill('21:00');
      await clickAndWait(page, page.locator('form[action$="/pass"] button[type="submit"]'));
      await page.getByRole('link', { name: /^Hela dagen/ }).waitFor();
      await checkPage(page, 'logistics-structure-shift');

      // The municipality's item types.
      await page.goto(url('kil', '/admin/val/material'));
      await page.getByRole('heading', { level: 1, name: 'Materialtyper' }).waitFor();
      await checkPage(page, 'logistics-items');
      for (const [name, category] of [[ITEM_A, 'Valsedlar'], [ITEM_B, 'Utrustning']]) {
        await page.getByLabel('Namn').fill(name);
        await page.getByLabel('Kategori').fill(category);
        await clickAndWait(page, page.getByRole('button', { name: 'Lägg till materialtyp' }));
      }
      await page.getByRole('rowheader', { name: ITEM_B }).waitFor();
      await checkPage(page, 'logistics-items-added');

      // A bad quantity in the standard kit is shown with the form; then the kit is applied.
      await page.goto(url('kil', `/admin/val/${election}/material`));
      await page.getByRole('heading', { level: 1, name: 'Material och utrustning' }).waitFor();
      await checkPage(page, 'logistics-material');
      await page.getByText('Fyll alla lokaler av ett slag med en standardsats').click();
      await page.getByLabel(ITEM_A).fill('-4');
      await clickAndWait(page, page.getByRole('button', { name: 'Fyll lokalerna' }));
      await page.getByRole('alert').getByRole('link', { name: 'Antal: Skriv ett heltal, 0 eller mer.' }).waitFor();
      assert.equal(await page.getByLabel(ITEM_A).getAttribute('aria-invalid'), 'true');
      await checkPage(page, 'logistics-material-kit-error');
      await page.getByLabel(ITEM_A).fill('300');
      await page.getByLabel(ITEM_B).fill('4');
      await clickAndWait(page, page.getByRole('button', { name: 'Fyll lokalerna' }));
      await checkPage(page, 'logistics-material-kit');

      // The station: packed, delivered, one item returned with another quantity.
      await clickAndWait(page, page.getByRole('link', { name: STATION }).first());
      await page.getByRole('heading', { level: 1, name: `Material och utrustning: ${STATION}` }).waitFor();
      await checkPage(page, 'logistics-material-station');
      await clickAndWait(page, page.getByRole('button', { name: 'Markera allt som packat' }));
      await checkPage(page, 'logistics-material-packed');
      await clickAndWait(page, page.getByRole('button', { name: 'Markera allt som levererat' }));
      await checkPage(page, 'logistics-material-delivered');
      await page.getByLabel(`Återlämnat antal: ${ITEM_B}`).fill('3');
      await clickAndWait(page, page.getByRole('button', { name: `Återlämnat ${ITEM_B}` }));
      await page.getByText('avviker').waitFor();
      await checkPage(page, 'logistics-material-returned');

      await clickAndWait(page, page.getByRole('link', { name: 'Packlista', exact: true }));
      await page.getByRole('heading', { level: 1, name: `Packlista: ${STATION}` }).waitFor();
      await checkPage(page, 'logistics-packing-list');
      const pdf = await fetchAs(page, url('kil', `${new URL(page.url()).pathname}.pdf`));
      assert.equal(pdf.status(), 200);
      assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-', 'a PDF');

      await page.goto(url('kil', `/admin/val/${election}/material`));
      await page.locator('#diff-caption').waitFor();
      await checkPage(page, 'logistics-material-follow-up');

      // Campaigns: a preview of the (still empty) group says so and offers no sending.
      await page.goto(url('kil', `/admin/val/${election}/utskick`));
      await page.getByRole('heading', { level: 1, name: 'Utskick (sms och e-post)' }).waitFor();
      await checkPage(page, 'logistics-campaigns');
      await page.getByLabel('Text').fill('Hej {fornamn}! Du arbetar i {lokal} på valdagen {valdag}.');
      await clickAndWait(page, page.getByRole('button', { name: 'Förhandsgranska' }));
      await page.getByRole('heading', { level: 2, name: 'Förhandsgranskning' }).waitFor();
      assert.equal(await page.getByRole('button', { name: /Skicka till mottagarna/ }).count(), 0);
      await checkPage(page, 'logistics-campaigns-preview');
      await page.getByLabel('Text').fill('Hej {namn}');
      await clickAndWait(page, page.getByRole('button', { name: 'Förhandsgranska' }));
      await page.getByRole('alert').getByRole('link', { name: /^Text: Använd bara de kopplingsfält/ }).waitFor();
      assert.equal(await page.getByLabel('Text').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Text').getAttribute('aria-describedby'), 'body-hint body-error');
      await checkPage(page, 'logistics-campaigns-error');

      // Reports: the rates and the downloads.
      await page.goto(url('kil', `/admin/val/${election}/rapporter`));
      await page.getByRole('heading', { level: 1, name: 'Rapporter och listor' }).waitFor();
      await checkPage(page, 'logistics-reports');
      await page.getByLabel('Ordförande (kr) (frivilligt)', { exact: true }).fill('2200');
      await page.getByLabel('Vice ordförande (kr)').fill('abc');
      await clickAndWait(page, page.getByRole('button', { name: 'Spara arvodena' }));
      // The refused rate: the summary links to the field, the message and aria-invalid at it.
      await page.getByRole('alert').getByRole('link', { name: 'Vice ordförande (kr): Skriv ett belopp i hela kronor, 0 eller mer.' }).waitFor();
      assert.equal(await page.locator('#rate_vice-error').textContent(), 'Skriv ett belopp i hela kronor, 0 eller mer.');
      assert.equal(await page.getByLabel('Vice ordförande (kr)').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Vice ordförande (kr)').getAttribute('aria-describedby'), 'rate_vice-error');
      await checkPage(page, 'logistics-reports-error');
      await page.getByLabel('Vice ordförande (kr)').fill('1900');
      await page.getByLabel('Röstmottagare (kr)').fill('1600');
      await page.getByLabel('Genomförd utbildning (kr)').fill('300');
      await clickAndWait(page, page.getByRole('button', { name: 'Spara arvodena' }));
      assert.equal(await page.getByLabel('Ordförande (kr) (frivilligt)', { exact: true }).inputValue(), '2200');
      await checkPage(page, 'logistics-reports-saved');
      for (const f of ['bemanning.pdf', 'arvoden.xlsx', 'utbildning.pdf']) {
        const r = await fetchAs(page, url('kil', `/admin/val/${election}/rapporter/${f}`));
        assert.equal(r.status(), 200, f);
      }
    } finally {
      await context.close();
    }
  });
});
