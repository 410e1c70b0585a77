// E-services, statistics (issue 11 item 9): Astrid gives Torsby praise through the feedback
// service and answers the satisfaction question on the receipt; Torsby's catalogue then lists
// it under "Mest använda"; Torsby's e-service administrator sees it in the statistics (one
// draft started and submitted, the drop-off per step, per week), filters the period (a date
// that is none is named), and the operator sees the shared service summed over every
// municipality. Every page is checked with axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, login, newPage, pathOf, staffPage, url } from '../lib.mjs';

const ASTRID = '19850315-2384';
const SLUG = 'torsby';

describe('e-services: most used and statistics', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('Astrid submits feedback in Torsby and the catalogue lists it under "Mest använda"', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(url(SLUG, '/e-legitimation/test?next=%2Fe-tjanster%2Ffelanmalan'));
    await page.getByLabel('Eller skriv ett personnummer').fill(ASTRID);
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await page.waitForURL(url(SLUG, '/e-tjanster/felanmalan'));
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }));
    assert.match(pathOf(page), /^\/e-tjanster\/felanmalan\/[0-9a-f-]+\/(steg\/\d+|granska)$/);
    if (!pathOf(page).endsWith('/granska')) {
      await page.getByLabel('Ge beröm').check();
      await page.getByLabel('Beskriv', { exact: true }).fill('Tack för den nya belysningen vid badplatsen!');
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
      await page.getByLabel('Nej, jag vill vara anonym').check();
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
    }
    await page.getByRole('heading', { level: 1, name: 'Granska och skicka' }).waitFor();
    await clickAndWait(page, page.getByRole('button', { name: 'Signera och skicka in' }));
    assert.match(pathOf(page), /^\/e-tjanster\/kvitton\/[0-9a-f-]+$/);

    // The satisfaction question on the receipt: five radios in a fieldset, answered once.
    const question = page.getByRole('group', { name: 'Hur nöjd är du med e-tjänsten?' });
    await question.waitFor();
    assert.equal(await question.getByRole('radio').count(), 5);
    const box = await question.getByRole('radio', { name: '4 – Ganska nöjd' }).boundingBox();
    assert.ok(box && box.width >= 24 && box.height >= 24, `the radio is at least 24 px: ${JSON.stringify(box)}`);
    await checkPage(page, 'es-receipt-rate');
    // Sent without a choice: named at the question.
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka svaret' }));
    const problem = page.getByRole('alert').getByRole('link', { name: /Välj hur nöjd du är, från 1 till 5/ });
    assert.equal(await problem.getAttribute('href'), '#es-rate-betyg-1');
    await checkPage(page, 'es-receipt-rate-error');
    await page.getByRole('radio', { name: '4 – Ganska nöjd' }).check();
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka svaret' }));
    await page.getByText('Tack för ditt svar!', { exact: true }).waitFor();
    await page.getByText('Du svarade 4 av 5.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Skicka svaret' }).count(), 0, 'answered once: no form');
    await checkPage(page, 'es-receipt-rated');

    await page.goto(url(SLUG, '/e-tjanster'));
    const most = page.getByRole('region', { name: 'Mest använda' });
    await most.getByRole('link', { name: 'Felanmälan och synpunkter' }).waitFor();
    await checkPage(page, 'es-most-used');
    // A search shows the list without it.
    await page.getByLabel('Sök e-tjänst').fill('bygglov');
    await clickAndWait(page, page.getByRole('button', { name: 'Sök' }));
    assert.equal(await page.getByRole('region', { name: 'Mest använda' }).count(), 0);
    await context.close();
  });

  test('Torsby’s administrator reads the statistics, filters the period and downloads the CSV', async () => {
    const { context, page } = await staffPage(browser, SLUG, `admin@${SLUG}.se`, 'es-stats-admin');
    await page.goto(url(SLUG, '/admin'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Statistik för e-tjänsterna' }));
    assert.equal(pathOf(page), '/admin/e-tjanster/statistik');
    await page.getByRole('heading', { level: 1, name: 'Statistik för e-tjänsterna' }).waitFor();
    const row = page.getByRole('table', { name: 'Per e-tjänst under perioden' }).getByRole('row', { name: /Felanmälan och synpunkter/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    // Drafts started, of which submitted, completion, submitted: at least Astrid's.
    assert.ok(Number(cells[0]) >= 1 && Number(cells[1]) >= 1 && Number(cells[3]) >= 1, cells.join(' | '));
    // Where abandoned drafts stopped, per step of the service, with the rule said.
    const steps = page.getByRole('table', { name: 'Avbrutna utkast per steg: Felanmälan och synpunkter' });
    await steps.waitFor();
    await steps.getByRole('row', { name: /Granska och skicka/ }).waitFor();
    await page.getByText(/Ett utkast räknas som avbrutet när det inte har skickats in/).waitFor();
    await checkPage(page, 'es-stats');

    // Per week: Swedish week numbers as the columns.
    await page.getByRole('radio', { name: 'Vecka (svenska veckonummer)' }).check();
    await clickAndWait(page, page.getByRole('button', { name: 'Visa' }));
    const weekly = page.getByRole('table', { name: 'Inskickade per vecka' });
    await weekly.waitFor();
    assert.match(await weekly.getByRole('columnheader').nth(1).textContent(), /^\d{4}-v\d{2}$/);
    await checkPage(page, 'es-stats-weekly');

    // An end before the start (a date input cannot hold an impossible date): named, the page is shown again.
    await page.getByLabel('Från och med').fill('2026-06-01');
    await page.getByLabel('Till och med').fill('2026-01-01');
    await clickAndWait(page, page.getByRole('button', { name: 'Visa' }));
    const link = page.getByRole('alert').getByRole('link', { name: /Välj ett slutdatum som är samma dag som startdatumet eller senare/ });
    assert.equal(await link.getAttribute('href'), '#es-stats-to');
    assert.equal(await page.getByLabel('Till och med').getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'es-stats-error');

    // The CSV of the period.
    await page.goto(url(SLUG, '/admin/e-tjanster/statistik'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ner statistiken som CSV-fil' }).click()]);
    assert.match(download.suggestedFilename(), /^e-tjanster-statistik-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    await context.close();
  });

  test('the operator sees each shared service summed over the municipalities', async () => {
    const { context, page } = await newPage(browser);
    await login(page, '', 'drift@radhus.localhost');
    await page.goto(url('', '/admin/e-tjanster/delade/statistik'));
    await page.getByRole('heading', { level: 1, name: 'Statistik för delade e-tjänster' }).waitFor();
    const row = page.getByRole('table', { name: 'Per e-tjänst under perioden' }).getByRole('row', { name: /Felanmälan och synpunkter/ });
    const cells = await row.getByRole('cell').allTextContents();
    assert.ok(Number(cells[0]) >= 1 && Number(cells[4]) >= 1, cells.join(' | '));
    await checkPage(page, 'es-stats-platform');
    await context.close();
  });
});
