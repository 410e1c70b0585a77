// Integration tokens (issue 14 item 5): Karlstad's administrator refuses bad input in Swedish,
// creates a token that is shown once, the token works on the JSON API with a Bearer header,
// and once revoked it is refused. Every page is checked with axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, login, newPage, url } from '../lib.mjs';

const ADMIN = 'admin@karlstad.se';

/**
 * A call of the JSON API with the token and no cookie. Node does not resolve `*.localhost`, so
 * the request goes to 127.0.0.1 with the municipality's Host header (as `fetchAs` does).
 */
async function api(page, path, token) {
  const u = new URL(url('karlstad', path));
  const direct = new URL(u.href);
  direct.hostname = '127.0.0.1';
  const res = await page.request.get(direct.href, { headers: { host: u.host, authorization: `Bearer ${token}` } });
  return { status: res.status(), body: await res.json() };
}

describe('integration tokens of Karlstad', () => {
  let browser;
  let page;
  let secret;
  const name = `E-arkivet ${Date.now().toString(36)}`;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
    await login(page, 'karlstad', ADMIN);
  });
  after(async () => {
    await browser?.close();
  });

  test('the administration links to the integrations page', async () => {
    await page.goto(url('karlstad', '/admin'));
    await clickAndWait(page, page.getByRole('link', { name: /Integrationer/ }));
    assert.equal(new URL(page.url()).pathname, '/admin/integrationer');
    await page.getByRole('heading', { level: 1, name: 'Integrationer' }).waitFor();
    await checkPage(page, 'admin-integrations');
  });

  test('bad input is refused with Swedish messages and nothing is created', async () => {
    // The form leaves the checks to the server (novalidate).
    await page.getByLabel('Namn').fill('');
    await page.getByLabel('Sista giltighetsdag').fill('2099-01-01');
    await page.getByLabel('Högst antal anrop per minut').fill('0');
    await clickAndWait(page, page.getByRole('button', { name: 'Skapa nyckel' }));
    const alert = page.getByRole('alert');
    await alert.getByText('Välj minst en roll.').waitFor();
    await alert.getByText(/Sista giltighetsdag: Ange ett datum efter i dag/).waitFor();
    await alert.getByText(/Högst antal anrop per minut: Ange ett heltal/).waitFor();
    await alert.locator('a[href="#name"]').getByText(/Namn: Skriv vad nyckeln ska användas till/).waitFor();
    assert.equal(await page.getByLabel('Högst antal anrop per minut').getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByLabel('Högst antal anrop per minut').getAttribute('aria-describedby'), /rate_per_minute-error/);
    await page.locator('#roles-error').getByText('Välj minst en roll.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Återkalla / }).count(), 0, 'no token was made');
    await checkPage(page, 'admin-integrations-errors', { problems: false });
  });

  test('a new token is shown once and works on the API', async () => {
    await page.goto(url('karlstad', '/admin/integrationer'));
    await page.getByLabel('Namn').fill(name);
    await page.getByRole('group', { name: 'Roller' }).getByRole('checkbox').first().check();
    await clickAndWait(page, page.getByRole('button', { name: 'Skapa nyckel' }));
    await page.getByRole('heading', { level: 1, name: 'Integrationsnyckeln är skapad' }).waitFor();
    secret = await page.getByLabel('Nyckel').inputValue();
    assert.match(secret, /^rh_[A-Za-z0-9_-]{43}$/);
    await checkPage(page, 'admin-integration-created');

    const me = await api(page, '/api/v1/me', secret);
    assert.equal(me.status, 200);
    assert.equal(me.body.kind, 'integration');
    assert.equal(me.body.name, name);

    await page.goto(url('karlstad', '/admin/integrationer'));
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByText('Giltig', { exact: false }).first().waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the list never shows the secret again');
  });

  test('a revoked token is refused', async () => {
    await clickAndWait(page, page.getByRole('button', { name: `Återkalla ${name}` }));
    assert.equal(new URL(page.url()).pathname, '/admin/integrationer');
    await page.getByRole('row').filter({ hasText: name }).getByText('Återkallad').waitFor();
    await checkPage(page, 'admin-integrations-revoked');
    const me = await api(page, '/api/v1/me', secret);
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'AUTH-013');
    const bad = await api(page, '/api/v1/me', 'inte-en-nyckel');
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 'AUTH-012');
  });
});
