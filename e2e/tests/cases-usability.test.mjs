// Issue 18 for cases: the new-case form with a field error (the summary links to the field, the
// field says aria-invalid and is described by its message), the first record and its file given
// on the same page, and the confirmation pages before "Fastställ" and "Makulera" — each checked
// with axe at 1280 and at 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, pathOf, staffPage } from '../lib.mjs';

const REGISTRAR = 'per.andersson@karlstad.se';
// Changes a case's status (the registrar registers, the handler or administrator decides).
const ADMIN = 'admin@karlstad.se';

/** Runs axe and the page checks at 1280 px and at 360 px, then goes back to 1280 px. */
async function bothWidths(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await checkPage(page, `${name}-1280`);
  await page.setViewportSize({ width: 360, height: 800 });
  await checkPage(page, `${name}-360`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('cases: field errors and confirmation steps', () => {
  let browser;
  const stamp = Date.now().toString(36);
  const title = `Bygglov för förråd ${stamp}`;
  const recordTitle = `Beslut om förråd ${stamp}`;

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the new-case form shows a field error, takes the first record and its file, and confirms before Fastställ and Makulera', async () => {
    const { context, page } = await staffPage(browser, 'karlstad', REGISTRAR, 'usability-registrar');
    try {
      await page.goto(new URL('/admin/arenden/ny', page.url()).href);
      await page.getByRole('heading', { level: 1, name: 'Nytt ärende' }).waitFor();
      await page.getByLabel('Ärendetyp').selectOption({ label: 'Bygglov (BN)' });
      await page.getByLabel('Typ av handling').selectOption({ label: 'Utgående' });
      await page.getByLabel('Handlingens rubrik').fill(recordTitle);
      await page.getByLabel('Avsändare/mottagare', { exact: true }).fill('Byggfirman AB');
      await page.getByLabel('Fil (frivilligt)').setInputFiles({ name: 'beslut.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nbeslut') });
      // No title: refused, with the problem at the field.
      await clickAndWait(page, page.getByRole('button', { name: 'Registrera ärendet' }));
      const summary = page.locator('#error-summary');
      await summary.waitFor();
      const link = summary.getByRole('link');
      assert.equal(await link.count(), 1, 'one problem');
      assert.equal(await link.getAttribute('href'), '#title');
      const field = page.locator('#title');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.match(await field.getAttribute('aria-describedby'), /title-error/);
      assert.ok((await page.locator('#title-error').textContent()).trim().length > 0, 'the message is at the field');
      assert.equal(await page.getByLabel('Typ av handling').inputValue(), 'outbound', 'the record is kept');
      await bothWidths(page, 'usability-new-case-error');

      await link.click();
      await page.getByLabel('Rubrik', { exact: true }).fill(title);
      await page.getByLabel('Fil (frivilligt)').setInputFiles({ name: 'beslut.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nbeslut') });
      await clickAndWait(page, page.getByRole('button', { name: 'Registrera ärendet' }));
      assert.match(pathOf(page), /^\/admin\/arenden\/[0-9a-f-]{36}$/, 'registered');
      const casePath = pathOf(page);
      const row = page.locator('table tbody tr', { hasText: recordTitle });
      await row.getByText('Utgående').waitFor();

      // Fastställ goes through a confirmation page.
      await clickAndWait(page, row.locator('td:first-child a'));
      const recordPath = pathOf(page);
      await page.getByText('beslut.pdf').first().waitFor();
      await clickAndWait(page, page.getByRole('link', { name: 'Fastställ', exact: true }));
      assert.equal(pathOf(page), `${recordPath}/faststall`);
      await bothWidths(page, 'usability-establish-confirm');

      // Makulera (by the administrator): a reason, then a confirmation page.
      const admin = await staffPage(browser, 'karlstad', ADMIN, 'usability-admin');
      try {
        await obliterate(admin.page, casePath);
      } finally {
        await admin.context.close();
      }
    } finally {
      await context.close();
    }
  });
});

/** The administrator asks to obliterate the case with a reason and gets the confirmation page. */
async function obliterate(page, casePath) {
  await page.goto(new URL(casePath, page.url()).href);
  await page.getByLabel('Ny status').selectOption({ label: 'Makulerat' });
  await page.locator('#note').fill('Registrerat två gånger');
  await clickAndWait(page, page.getByRole('button', { name: 'Ändra status' }));
  await page.getByRole('heading', { level: 1, name: 'Makulera ärendet?' }).waitFor();
  await bothWidths(page, 'usability-obliterate-confirm');
  await page.getByRole('button', { name: 'Ja, makulera ärendet' }).waitFor();
}
