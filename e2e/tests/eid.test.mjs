// Residents: the test e-ID of demo mode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, url } from '../lib.mjs';

describe('test e-ID', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  test('the e-ID choice page', async () => {
    const res = await page.goto(url('karlstad', '/e-legitimation'));
    assert.equal(res.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Logga in med e-legitimation' }).waitFor();
    await checkPage(page, 'eid');
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /Test-e-legitimation/ }));
    assert.equal(new URL(page.url()).pathname, '/e-legitimation/test');
    await page.getByRole('heading', { level: 1, name: 'Test-e-legitimation' }).waitFor();
    await checkPage(page, 'eid-test');
  });

  test('an invalid personnummer is refused', async () => {
    await page.goto(url('karlstad', '/e-legitimation/test'));
    await page.getByLabel('Eller skriv ett personnummer').fill('19811218-9877');
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await page.locator('#pnr-error').getByText('Personnumret är inte giltigt').waitFor();
    assert.equal(await page.getByLabel('Eller skriv ett personnummer').inputValue(), '19811218-9877');
    await checkPage(page, 'eid-test-error');
  });

  test('a test person logs in and is greeted', async () => {
    await page.goto(url('karlstad', '/e-legitimation/test'));
    const first = page.locator('input[type=radio][name=person]').first();
    const label = (await page.locator(`label[for="${await first.getAttribute('id')}"]`).textContent()).trim();
    const name = label.split(',')[0];
    await first.check();
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    // The login happens on the platform host (single sign-on); a page there hands the browser
    // back to Karlstad's host by itself (no script: a meta refresh, or its link).
    await page.waitForURL(url('karlstad', '/'));
    await page.getByText(`Du är inloggad som ${name}.`).waitFor();
    await page.getByRole('banner').getByText(name).waitFor();
    await checkPage(page, 'citizen-start');
    await clickAndWait(page, page.getByRole('banner').getByRole('button', { name: 'Logga ut' }));
    await page.getByRole('banner').getByRole('link', { name: 'Logga in', exact: true }).waitFor();
  });
});
