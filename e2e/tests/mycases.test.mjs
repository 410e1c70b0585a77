// Mina ärenden: a citizen's cases in every municipality on the platform host, one
// municipality's on its host (single sign-on carries the login across).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, pathOf, url } from '../lib.mjs';

describe('Mina ärenden', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  test('the landing page leads to it, and without a login it offers the e-ID', async () => {
    await page.goto(url('', '/'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /Mina ärenden/ }));
    assert.equal(pathOf(page), '/mina-arenden');
    await page.getByRole('heading', { level: 1, name: 'Mina ärenden' }).waitFor();
    await checkPage(page, 'my-cases-anonymous');
  });

  test('Astrid sees her cases of every municipality, then only Karlstad’s on its host', async () => {
    await page.goto(url('', '/e-legitimation/test?next=%2Fmina-arenden'));
    await page.getByLabel(/^Astrid Lindqvist/).check();
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    assert.equal(pathOf(page), '/mina-arenden');
    // The read model follows the case events within a delivery tick or two.
    const table = page.getByRole('table', { name: 'Mina ärenden' });
    for (let i = 0; i < 20 && !(await table.isVisible()); i += 1) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await table.waitFor();
    await table.getByRole('cell', { name: 'Karlstads kommun' }).first().waitFor();
    await table.getByRole('cell', { name: 'Kils kommun' }).first().waitFor();
    await checkPage(page, 'my-cases');

    // One case's page with its history.
    await clickAndWait(page, table.getByRole('link').first());
    await page.getByRole('heading', { level: 2, name: 'Vad som har hänt' }).waitFor();
    await page.getByText('Ärendet registrerades').first().waitFor();
    await checkPage(page, 'my-case');

    await page.goto(url('karlstad', '/mina-arenden'));
    await page.getByRole('heading', { level: 1, name: 'Mina ärenden' }).waitFor();
    const here = page.getByRole('table', { name: 'Mina ärenden' });
    await here.waitFor();
    assert.equal(await here.getByRole('columnheader', { name: 'Kommun' }).count(), 0, 'one municipality: no municipality column');
    await page.getByRole('link', { name: 'Se dina ärenden hos alla kommuner' }).waitFor();
    await checkPage(page, 'my-cases-karlstad');
  });
});
