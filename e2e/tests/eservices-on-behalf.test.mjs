// E-services, acting on behalf of someone (issue 11 item 5): Astrid Lindqvist logs in with the
// test e-ID and applies for a preschool place in Karlstad for her daughter Ella, whom the
// fixture population register names as a child in her custody. "Vem gäller ansökan?" (refused
// without a choice, then the child chosen) and the receipt ("Ansökan gäller", "Inlämnad av")
// are checked with axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, pathOf, url } from '../lib.mjs';

const ASTRID = '19850315-2384';

async function next(page) {
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
}

describe('e-services on behalf of a child', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  test('Astrid is asked whom the preschool application concerns and picks her daughter', async () => {
    await page.goto(url('karlstad', '/e-legitimation/test?next=%2Fe-tjanster%2Fforskoleplats'));
    await page.getByLabel('Eller skriv ett personnummer').fill(ASTRID);
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await page.waitForURL(url('karlstad', '/e-tjanster/forskoleplats'));
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }));
    assert.match(pathOf(page), /^\/e-tjanster\/forskoleplats\/[0-9a-f-]+\/vem$/);
    await page.getByRole('heading', { level: 1, name: 'Vem gäller ansökan?' }).waitFor();
    const choice = page.getByRole('group', { name: 'Vem gäller ansökan?' });
    await choice.getByLabel('Ella Lindqvist, född 12 maj 2020').waitFor();
    await choice.getByLabel('Nils Lindqvist, född 3 september 2022').waitFor();
    await page.getByText('Testregister (fiktiva personer)').waitFor();
    await checkPage(page, 'es-on-behalf');

    // Nothing chosen: the summary links the question, the message is at it.
    await next(page);
    const summary = page.getByRole('alert').filter({ hasText: 'Det finns fel i formuläret' });
    await summary.getByRole('link', { name: 'Vem gäller ansökan?: Välj vem ansökan gäller.' }).waitFor();
    assert.equal(await page.locator('#vem-1').getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'es-on-behalf-error');

    await choice.getByLabel('Ella Lindqvist, född 12 maj 2020').check();
    await next(page);
    assert.match(pathOf(page), /^\/e-tjanster\/forskoleplats\/[0-9a-f-]+\/steg\/0$/);
    assert.equal(await page.getByLabel('Barnets namn').inputValue(), 'Ella Lindqvist');
    assert.equal(await page.getByLabel('Barnets personnummer').inputValue(), '20200512-2383');
  });

  test('she fills in the rest, signs, and the receipt says whom it concerns and who submitted it', async () => {
    await page.getByRole('group', { name: /syskon/ }).getByLabel('Nej').check();
    await next(page);
    await page.getByLabel('E-postadress', { exact: true }).fill('astrid.lindqvist@example.se');
    await page.getByLabel('Telefonnummer', { exact: true }).fill('070-123 45 67');
    await page.getByRole('group', { name: 'Din sysselsättning' }).getByLabel('Arbetar').check();
    await page.getByRole('group', { name: 'Har barnet en vårdnadshavare till?' }).getByLabel('Nej').check();
    await next(page);
    const start = new Date(Date.now() + 150 * 86400000).toISOString().slice(0, 10);
    await page.getByLabel('Från vilket datum behöver barnet plats?').fill(start);
    await page.getByRole('group', { name: /Hur mycket behöver barnet/ }).getByLabel(/^Heltid/).check();
    await page.getByLabel('Förskola i första hand').fill('Solrosens förskola');
    await page.getByLabel(/Jag intygar att uppgifterna är riktiga/).check();
    await next(page);
    await page.getByRole('heading', { level: 1, name: 'Granska och skicka' }).waitFor();
    await clickAndWait(page, page.getByRole('button', { name: 'Signera och skicka in' }));
    assert.match(pathOf(page), /^\/e-tjanster\/kvitton\/[0-9a-f-]+$/);
    await page.getByRole('heading', { level: 1, name: 'Kvitto' }).waitFor();
    assert.equal((await page.locator('dt:has-text("Ansökan gäller") + dd').textContent()).trim(), 'Ella Lindqvist (20200512-2383)');
    assert.equal(
      (await page.locator('dt:has-text("Inlämnad av") + dd').textContent()).trim(),
      'Astrid Lindqvist, vårdnadshavare enligt folkbokföringen',
    );
    await checkPage(page, 'es-on-behalf-receipt');
  });
});
