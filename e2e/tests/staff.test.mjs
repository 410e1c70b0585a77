// A municipality's staff: login, every admin page, creating an org unit and a user, logout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, login, newPage, url } from '../lib.mjs';

const ADMIN = 'admin@karlstad.se';

describe('staff of Karlstad', () => {
  let browser;
  let page;
  const stamp = Date.now().toString(36);
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  const visit = async (path, name, heading) => {
    const res = await page.goto(url('karlstad', path));
    assert.equal(res.status(), 200, `${path} answers 200`);
    if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await checkPage(page, name);
  };

  test('a wrong password is refused with an error', async () => {
    await page.goto(url('karlstad', '/logga-in'));
    await page.getByRole('heading', { level: 1, name: 'Logga in som anställd' }).waitFor();
    await checkPage(page, 'staff-login');
    await login(page, 'karlstad', ADMIN, 'fel-losenord-123');
    assert.equal(new URL(page.url()).pathname, '/logga-in');
    await assert.doesNotReject(page.locator('#login-error').getByText('Fel e-postadress eller lösenord.').waitFor());
    assert.equal(await page.getByLabel('E-postadress').inputValue(), ADMIN, 'the e-mail address is kept');
    await checkPage(page, 'staff-login-error');
  });

  test('the right password reaches the administration', async () => {
    await login(page, 'karlstad', ADMIN);
    assert.equal(new URL(page.url()).pathname, '/admin');
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Logga ut' }).waitFor();
    await checkPage(page, 'admin');
  });

  test('organisation: a unit without a name is refused at its field', async () => {
    await visit('/admin/organisation', 'admin-organisation', 'Organisation');
    await page.locator('#new-kind').selectOption('forvaltning');
    await page.locator('#new-code').fill('TOM');
    await clickAndWait(page, page.getByRole('button', { name: 'Skapa enhet' }));
    const summary = page.getByRole('alert');
    await summary.locator('a[href="#new-name"]').getByText(/^Namn: Skriv enhetens namn\./).waitFor();
    assert.equal(await page.locator('#new-name').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#new-name').getAttribute('aria-describedby'), 'new-name-error');
    await page.locator('#new-name-error').getByText('Skriv enhetens namn.').waitFor();
    assert.equal(await page.locator('#new-code').inputValue(), 'TOM', 'what was typed is kept');
    await checkPage(page, 'admin-organisation-error');
  });

  test('organisation: list and create a unit', async () => {
    await visit('/admin/organisation', 'admin-organisation', 'Organisation');
    const name = `Testenhet ${stamp}`;
    await page.locator('#new-name').fill(name);
    await page.locator('#new-kind').selectOption('forvaltning');
    await page.locator('#new-code').fill(`T${stamp}`.slice(0, 10));
    await clickAndWait(page, page.getByRole('button', { name: 'Skapa enhet' }));
    assert.equal(new URL(page.url()).pathname, '/admin/organisation');
    await page.locator('.org-tree .unit-name', { hasText: name }).waitFor();
    await checkPage(page, 'admin-organisation-created');
  });

  test('users: list and a user page', async () => {
    await visit('/admin/anvandare', 'admin-users', 'Användare');
    const first = page.locator('table tbody a').first();
    const name = (await first.textContent()).trim();
    await clickAndWait(page, first);
    assert.match(new URL(page.url()).pathname, /^\/admin\/anvandare\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await checkPage(page, 'admin-user');
  });

  test('users: create a user', async () => {
    await visit('/admin/anvandare/ny', 'admin-user-new', 'Ny användare');
    const name = `Test Testsson ${stamp}`;
    await page.locator('#name').fill(name);
    await page.locator('#email').fill(`test.${stamp}@karlstad.se`);
    await page.locator('#password').fill('Ett-langt-losenord-99');
    await page.locator('#password_repeat').fill('Ett-langt-losenord-99');
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara' }));
    assert.match(new URL(page.url()).pathname, /^\/admin\/anvandare\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await checkPage(page, 'admin-user-created');
  });

  test('roles', async () => {
    await visit('/admin/roller', 'admin-roles', 'Roller');
  });

  test('message templates and editing one', async () => {
    await visit('/admin/mallar', 'admin-templates', 'Meddelandemallar');
    await clickAndWait(page, page.locator('table tbody a').first());
    assert.match(new URL(page.url()).pathname, /^\/admin\/mallar\/[^/]+\/(sv|en)$/);
    await page.locator('#subject').waitFor();
    await checkPage(page, 'admin-template');
  });

  test('outbox', async () => {
    await visit('/admin/utskick', 'admin-outbox', 'Utskick');
  });

  test('audit log', async () => {
    await visit('/admin/logg', 'admin-audit', 'Logg');
    assert.ok((await page.locator('table tbody tr').count()) > 0, 'the log has events');
  });

  test('account and two-step verification', async () => {
    await visit('/konto', 'account', 'Mitt konto');
    await visit('/konto/tvastegsverifiering', 'account-totp');
  });

  test('logging out with the header button', async () => {
    await page.goto(url('karlstad', '/admin'));
    await clickAndWait(page, page.getByRole('banner').getByRole('button', { name: 'Logga ut' }));
    await page.getByRole('banner').getByRole('link', { name: 'Logga in', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Logga ut' }).count(), 0);
    const res = await page.goto(url('karlstad', '/admin'));
    assert.notEqual(new URL(page.url()).pathname, '/admin', `/admin needs a login again (got ${res.status()} at ${page.url()})`);
  });
});
