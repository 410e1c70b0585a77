// Election administration, the municipality's settings (issue 20 items 7 and 8): the settings
// page from the elections' list, a minimum age out of range refused in Swedish, a save with
// "utbildning efter placering", and the rule table of the staffing page naming the values.
// Arvika's settings are put back to the defaults at the end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, staffPage } from '../lib.mjs';

const ELECTION = 'Val till riksdagen, regionfullmäktige och kommunfullmäktige 2030';

describe('election settings', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('minimum age and training after placement', async () => {
    const { context, page } = await staffPage(browser, 'arvika', 'admin@arvika.se', 'elections-settings-admin');
    try {
      await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /^Valadministration/ }));
      await clickAndWait(page, page.getByRole('link', { name: 'Inställningar: lägsta ålder och utbildning' }));
      await page.getByRole('heading', { level: 1, name: 'Inställningar för valadministrationen' }).waitFor();
      assert.equal(await page.getByLabel('Lägsta ålder på valdagen').inputValue(), '18');
      assert.equal(await page.getByLabel('Utbildning efter placering').isChecked(), false);
      await checkPage(page, 'elections-settings');

      // Out of range: the field's message in Swedish, the value kept in the form.
      await page.getByLabel('Lägsta ålder på valdagen').fill('15');
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
      await page.getByRole('alert').getByRole('link', { name: 'Lägsta ålder på valdagen: Skriv ett helt antal år mellan 16 och 99.' }).waitFor();
      assert.equal(await page.getByLabel('Lägsta ålder på valdagen').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#min_age-error').textContent(), 'Skriv ett helt antal år mellan 16 och 99.');
      assert.equal(await page.getByLabel('Lägsta ålder på valdagen').inputValue(), '15');
      await checkPage(page, 'elections-settings-error');

      await page.getByLabel('Lägsta ålder på valdagen').fill('19');
      await page.getByLabel('Utbildning efter placering').check();
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
      await page.getByRole('status').getByText('Inställningarna är sparade').waitFor();
      assert.equal(await page.getByLabel('Utbildning efter placering').isChecked(), true);
      await checkPage(page, 'elections-settings-saved');

      // The staffing page's rule table names the municipality's values, linked to the settings.
      await clickAndWait(page, page.locator('.breadcrumbs').getByRole('link', { name: 'Valadministration' }));
      await clickAndWait(page, page.getByRole('link', { name: ELECTION }));
      await clickAndWait(page, page.locator(`a[href$="/bemanning"]`).first());
      await page.getByRole('link', { name: 'Kommunens inställning: 19 år.' }).waitFor();
      await page.getByRole('link', { name: /^Kommunens inställning: utbildning efter placering/ }).waitFor();

      // Back to the defaults, through the link in the rule table.
      await clickAndWait(page, page.getByRole('link', { name: 'Kommunens inställning: 19 år.' }));
      await page.getByLabel('Lägsta ålder på valdagen').fill('18');
      await page.getByLabel('Utbildning efter placering').uncheck();
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
      await page.getByRole('status').getByText('Inställningarna är sparade').waitFor();
      assert.equal(await page.getByLabel('Lägsta ålder på valdagen').inputValue(), '18');
    } finally {
      await context.close();
    }
  });
});
