// Mina ärenden: a citizen's cases in every municipality on the platform host, one
// municipality's on its host (single sign-on carries the login across).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, newPage, pathOf, staffPage, url } from '../lib.mjs';

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

  test('Astrid answers Karlstad’s completion request and the caseworker sees it on the case', async () => {
    await page.goto(url('', '/mina-arenden'));
    const table = page.getByRole('table', { name: 'Mina ärenden' });
    await table.waitFor();
    const row = table.getByRole('row').filter({ hasText: 'Bygglov för uterum' });
    await row.getByText('Komplettering begärd').waitFor();
    await clickAndWait(page, row.getByRole('link', { name: /Bygglov för uterum/ }));
    const caseId = pathOf(page).split('/').pop();
    await page.getByRole('heading', { level: 2, name: 'Komplettering begärd' }).waitFor();
    await checkPage(page, 'my-case-request');

    // An empty answer is refused at the field; a written one is registered in the case.
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka' }));
    await page.getByText('Skriv ett meddelande.').first().waitFor();
    await checkPage(page, 'my-case-answer-error');
    await page.getByLabel('Ditt meddelande').fill('Här kommer situationsplanen och fasadritningen.');
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka' }));
    await page.getByText('Ditt meddelande har kommit in och registrerats i ärendet.').waitFor();
    await page.getByText('Här kommer situationsplanen och fasadritningen.').waitFor();
    await checkPage(page, 'my-case-answered');

    // The caseworker reads it on the staff case page, where the reading is the receipt.
    const { context, page: staff } = await staffPage(browser, 'karlstad', 'omar.said@karlstad.se', 'my-caseworker');
    await staff.goto(url('karlstad', `/admin/arenden/${caseId}`));
    await staff.getByRole('heading', { level: 2, name: 'Meddelanden med parten' }).waitFor();
    await staff.getByText('Här kommer situationsplanen och fasadritningen.').waitFor();
    await checkPage(staff, 'my-caseworker-messages');
    await context.close();
  });

  test('the notification settings refuse a wrong number at the field and save a good choice', async () => {
    await page.goto(url('', '/mina-arenden/installningar'));
    await page.getByRole('heading', { level: 1, name: 'Inställningar för besked' }).waitFor();
    await page.getByLabel('SMS', { exact: true }).check();
    await page.getByLabel('Mobilnummer').fill('12');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara' }));
    await page.getByText('Skriv ett mobilnummer, till exempel 070-123 45 67.').first().waitFor();
    // The summary links to the field, which carries the message.
    assert.equal(await page.locator('.ds-error-summary').getByRole('link').getAttribute('href'), '#phone');
    const phone = page.getByLabel('Mobilnummer');
    assert.equal(await phone.getAttribute('aria-invalid'), 'true');
    assert.equal(await phone.getAttribute('aria-describedby'), 'phone-hint phone-error');
    assert.equal(await phone.inputValue(), '12');
    await checkPage(page, 'my-settings-error');
    await page.getByLabel('E-post', { exact: true }).check();
    await page.getByLabel('Mobilnummer').fill('');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara' }));
    await page.getByText('Dina inställningar är sparade.').waitFor();
    await checkPage(page, 'my-settings');
  });

  test('the citizen’s own data: a page that explains, and the download as JSON', async () => {
    await page.goto(url('', '/mina-arenden'));
    await clickAndWait(page, page.getByRole('link', { name: 'Ladda ner dina uppgifter' }));
    await page.getByRole('heading', { level: 1, name: 'Dina uppgifter' }).waitFor();
    await checkPage(page, 'my-data');
    const res = await fetchAs(page, url('', '/mina-arenden/mina-uppgifter.json'));
    assert.equal(res.status(), 200);
    const data = await res.json();
    assert.equal(data.about.personal_identity_number, '19850315-2384');
    assert.ok(data.municipalities.some((m) => m.municipality === 'Karlstads kommun' || m.municipality === 'Karlstad'), 'Karlstad holds her cases');
  });

  test('the registry administrator words the phases of a case type and handling times are listed', async () => {
    const { context, page: admin } = await staffPage(browser, 'karlstad', 'admin@karlstad.se', 'my-texts-admin');
    await admin.goto(url('karlstad', '/admin/mina-arenden'));
    await admin.getByRole('heading', { level: 1, name: 'Texter i Mina ärenden' }).waitFor();
    await checkPage(admin, 'my-texts');
    await clickAndWait(admin, admin.getByRole('link', { name: 'Bygglov', exact: true }));
    await admin.getByLabel('Förklaring på svenska').first().fill('Bygglovsenheten har tagit emot din ansökan.');
    await clickAndWait(admin, admin.getByRole('button', { name: 'Spara texterna' }));
    await admin.getByText('Texterna är sparade.').waitFor();
    await checkPage(admin, 'my-texts-type');
    await admin.goto(url('karlstad', '/admin/handlaggningstider'));
    await admin.getByRole('heading', { level: 1, name: 'Handläggningstider' }).waitFor();
    await checkPage(admin, 'handling-times');
    await context.close();
  });
});
