// The platform operator on the platform host: municipalities and the platform's audit log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, login, newPage, url } from '../lib.mjs';

describe('platform operator', () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  test('login lists the municipalities', async () => {
    await page.goto(url('', '/logga-in'));
    await page.getByRole('heading', { level: 1, name: 'Logga in som driftansvarig' }).waitFor();
    await checkPage(page, 'operator-login');
    await login(page, '', 'drift@radhus.localhost');
    assert.equal(new URL(page.url()).pathname, '/admin');
    await page.getByRole('heading', { level: 1, name: 'Kommuner' }).waitFor();
    assert.ok((await page.locator('table tbody tr').count()) >= 16, 'the 16 municipalities of the demo');
    await checkPage(page, 'operator-admin');
  });

  test("the modules' operator pages are linked from the start page", async () => {
    await page.goto(url('', '/admin'));
    await clickAndWait(page, page.getByRole('link', { name: 'eBlomlåda: indikatorversioner' }));
    assert.equal(new URL(page.url()).pathname, '/admin/eblomlada/kataloger');
    await checkPage(page, 'operator-maturity-catalogues');
  });

  test("a municipality's edit page", async () => {
    await page.goto(url('', '/admin'));
    await clickAndWait(page, page.getByRole('link', { name: 'Karlstad', exact: true }));
    assert.match(new URL(page.url()).pathname, /^\/admin\/kommuner\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name: 'Karlstad' }).waitFor();
    assert.equal(await page.locator('#slug').inputValue(), 'karlstad');
    await checkPage(page, 'operator-tenant');
  });

  test('the new municipality form', async () => {
    const res = await page.goto(url('', '/admin/kommuner/ny'));
    assert.equal(res.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Ny kommun' }).waitFor();
    await checkPage(page, 'operator-tenant-new');
  });

  test("the platform's audit log", async () => {
    const res = await page.goto(url('', '/admin/logg'));
    assert.equal(res.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Logg' }).waitFor();
    await checkPage(page, 'operator-audit');
  });
});
