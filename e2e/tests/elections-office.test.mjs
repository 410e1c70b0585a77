// Election administration, the office's pages: the elections, an election's overview and
// structure, a polling station, a new election with bad input, the staffing dashboard with
// the rule check, one station's staffing, and the optimiser staffing Karlstad's election from
// the demo applicants.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, staffPage } from '../lib.mjs';

const ELECTION = 'Val till riksdagen, regionfullmäktige och kommunfullmäktige 2030';

describe('election office', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /** Logs in as the municipality's administrator and opens the demo election's overview. */
  const election = async (slug) => {
    const { context, page } = await staffPage(browser, slug, `admin@${slug}.se`, `elections-${slug}-admin`);
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /^Valadministration/ }));
    await page.getByRole('heading', { level: 1, name: 'Valadministration' }).waitFor();
    await checkPage(page, `elections-${slug}-list`);
    await clickAndWait(page, page.getByRole('link', { name: ELECTION }));
    await page.getByRole('heading', { level: 1, name: ELECTION }).waitFor();
    await checkPage(page, `elections-${slug}-election`);
    return { context, page };
  };

  test('structure: districts, stations, opening hours and positions', async () => {
    const { context, page } = await election('kil');
    try {
      await clickAndWait(page, page.getByRole('link', { name: 'Valets struktur' }));
      await page.getByRole('heading', { level: 1, name: 'Valets struktur' }).waitFor();
      assert.ok(await page.getByRole('rowheader', { name: '17150001' }).isVisible(), 'district codes are listed');
      await checkPage(page, 'elections-structure');
      // A district code of another municipality is refused with a message in Swedish.
      await page.getByText('Lägg till valdistrikt').click();
      await page.getByLabel('Kod', { exact: true }).fill('17800101');
      await page.getByLabel('Distriktets namn').fill('Fel kommun');
      await clickAndWait(page, page.locator('form[action$="/distrikt"]').getByRole('button', { name: 'Lägg till' }));
      await page.getByRole('alert').getByText('hör till en annan kommun').waitFor();
      await checkPage(page, 'elections-structure-error');
      // A district and a shift have pages of their own to change them (saved here unchanged).
      await clickAndWait(page, page.getByRole('link', { name: '17150001', exact: true }));
      await page.getByRole('heading', { level: 1, name: 'Valdistrikt 17150001' }).waitFor();
      await checkPage(page, 'elections-district-edit');
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
      await page.getByRole('heading', { level: 1, name: 'Valets struktur' }).waitFor();
      await clickAndWait(page, page.locator('a[href*="/pass/"]').first());
      await page.getByRole('heading', { level: 1, name: /^Ändra pass/ }).waitFor();
      await checkPage(page, 'elections-shift-edit');
      await clickAndWait(page, page.locator('.breadcrumbs').getByRole('link', { name: 'Valets struktur' }));
      // A valkrets, added and renamed on its own page.
      const valkrets = `Valkrets ${Date.now().toString(36)}`;
      await page.locator('#c-name').fill(valkrets);
      await clickAndWait(page, page.locator('form[action$="/valkretsar"]').getByRole('button', { name: 'Lägg till' }));
      await clickAndWait(page, page.getByRole('link', { name: valkrets }));
      await page.getByRole('heading', { level: 1, name: `Byt namn på valkretsen: ${valkrets}` }).waitFor();
      await checkPage(page, 'elections-constituency-edit');
      await page.locator('#c-name').fill(`${valkrets} norra`);
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
      await page.getByRole('link', { name: `${valkrets} norra` }).waitFor();
      await clickAndWait(page, page.getByRole('link', { name: 'Centrum skola' }));
      await page.getByRole('heading', { level: 1, name: 'Centrum skola' }).waitFor();
      assert.ok(await page.getByText('8 september 2030').first().isVisible(), 'election-day opening hours');
      await checkPage(page, 'elections-station');
      // The change form keeps the station's values; a bad coordinate is refused and shown open.
      await page.getByText('Ändra namn, adress, koordinater och distrikt').click();
      assert.equal(await page.locator('#x-name').inputValue(), 'Centrum skola');
      await page.locator('#x-lat').fill('norr om kyrkan');
      await clickAndWait(page, page.getByRole('button', { name: 'Spara lokalen' }));
      await page.getByRole('alert').waitFor();
      assert.equal(await page.locator('#x-lat').inputValue(), 'norr om kyrkan');
      // Issue 18: the summary links to the field, which carries its message.
      assert.equal(await page.locator('.ds-error-summary a[href="#x-lat"]').count(), 1);
      assert.equal(await page.locator('#x-lat').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#x-lat').getAttribute('aria-describedby'), 'x-lat-error');
      await page.locator('#x-lat-error').getByText('skriv en koordinat i Sverige').waitFor();
      await checkPage(page, 'elections-station-change-error');
    } finally {
      await context.close();
    }
  });

  test('a new election with a bad date is refused, a good one is created', async () => {
    const { context, page } = await staffPage(browser, 'arvika', 'admin@arvika.se', 'elections-arvika-admin');
    try {
      await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /^Valadministration/ }));
      await checkPage(page, 'elections-arvika-list');
      await page.getByLabel('Namn', { exact: true }).fill('Extra val 2027');
      await page.locator('#kind').selectOption('extraval');
      await page.getByLabel('Valdag').fill('2027-03-14');
      await page.getByLabel('Förtidsröstningen börjar').fill('2027-03-20');
      await page.getByLabel('Förtidsröstningen slutar').fill('2027-03-14');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa valet' }));
      await page.getByRole('alert').getByRole('link', { name: /slutar senast på valdagen/ }).waitFor();
      assert.equal(await page.getByLabel('Förtidsröstningen slutar').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Förtidsröstningen slutar').getAttribute('aria-describedby'), 'early_to-error');
      await checkPage(page, 'elections-new-error');
      await page.getByLabel('Förtidsröstningen börjar').fill('2027-02-25');
      await page.getByLabel('Kopiera strukturen från').selectOption({ label: ELECTION });
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa valet' }));
      await page.getByRole('heading', { level: 1, name: 'Extra val 2027' }).waitFor();
      assert.ok(await page.getByText('Vallokaler').isVisible());
      await checkPage(page, 'elections-new-copied');
    } finally {
      await context.close();
    }
  });

  test('the optimiser staffs Karlstad; the dashboard and a station show the rule check', async () => {
    const { context, page } = await election('karlstad');
    try {
      await clickAndWait(page, page.getByRole('link', { name: 'Bemanning' }));
      await page.getByRole('heading', { level: 1, name: 'Bemanning' }).waitFor();
      await checkPage(page, 'elections-staffing-before');
      // Issue 20: the rules are worded for the office, with their basis and no "not verified".
      const rules = page.locator('table', { has: page.getByRole('columnheader', { name: 'Grund' }) });
      await rules.getByRole('row', { name: /VAL-R01.*3 kap\. 4 §.*lag/ }).waitFor();
      await rules.getByRole('row', { name: /VAL-R06.*kommunens riktlinje/ }).waitFor();
      assert.equal(await page.getByText(/ej verifierad/).count(), 0);
      // Issue 18 item 3: the run is previewed on a page of its own and saved only when confirmed.
      await clickAndWait(page, page.getByRole('button', { name: 'Bemanna automatiskt' }));
      await page.getByRole('heading', { level: 1, name: 'Bemanna automatiskt: kontrollera ändringarna' }).waitFor();
      await checkPage(page, 'elections-staffing-preview');
      await clickAndWait(page, page.getByRole('button', { name: 'Bekräfta och spara bemanningen' }));
      await page.getByRole('heading', { level: 3, name: 'Senaste körningen' }).waitFor();
      const summary = await page.getByText(/placerade \d+/).first().textContent();
      const placed = Number(/placerade (\d+)/.exec(summary)[1]);
      assert.ok(placed > 100, `the optimiser placed ${placed}`);
      assert.doesNotMatch(summary, /\d+ ms\b/, 'the run summary has no timing in milliseconds');
      await checkPage(page, 'elections-staffing-after');
      await clickAndWait(page, page.getByRole('link', { name: 'Centrum skola' }));
      await page.getByRole('heading', { level: 2, name: 'Regelkontroll för lokalen' }).waitFor();
      assert.ok(await page.getByText('placerad vid automatisk bemanning').first().isVisible(), 'placements are explained');
      // Placed is not appointed: VAL-R01 warns until the röstmottagare are appointed (förordnade).
      await page.getByText(/placerade förordnade, minst fyra förordnade krävs/).first().waitFor();
      await checkPage(page, 'elections-staffing-station');
    } finally {
      await context.close();
    }
  });
});
