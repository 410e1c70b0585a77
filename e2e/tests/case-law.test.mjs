// Issue 20 items 1 and 3: a registrar obliterates (makulerar) a registered record with a reason,
// which stays in the diary and on the public diary as "Makulerad" with the date (the reason only
// for staff); the administrator sees each case type's appeal instruction (överklagandehänvisning)
// and cannot drop it without a reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, pathOf, staffPage as staffPageOf, url, visit as visitPage } from '../lib.mjs';

const ADMIN = 'admin@karlstad.se';

describe('obliteration and appeal instructions in Karlstad', () => {
  let browser;
  const stamp = Date.now().toString(36);

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  const staffPage = (email, name) => staffPageOf(browser, 'karlstad', email, name);
  const visit = (page, address, name, heading) => visitPage(page, 'karlstad', address, name, heading);

  test('a registered record registered by mistake is obliterated with a reason and stays in the diary', async () => {
    const title = `Dubblett av ansökan ${stamp}`;
    const reason = `Registrerad två gånger ${stamp}`;
    const { context, page } = await staffPage(ADMIN, 'obliterate-admin');
    try {
      await visit(page, '/admin/arenden?status=open', 'obliterate-cases', 'Ärenden');
      const first = page.locator('table tbody tr td:first-child a').first();
      const casePath = await first.getAttribute('href');
      await clickAndWait(page, first);
      await page.getByText('Ny handling', { exact: true }).click();
      await page.getByLabel('Typ av handling').selectOption({ label: 'Inkommande' });
      await page.locator('#r-title').fill(title);
      await page.getByLabel('Avsändare/mottagare', { exact: true }).fill('Byggfirman AB');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till handlingen' }));
      await clickAndWait(page, page.locator('table tbody tr', { hasText: title }).locator('td:first-child a'));
      const recordPath = pathOf(page);
      assert.match(recordPath, /^\/admin\/handlingar\/[0-9a-f-]{36}$/);

      // The form asks for the reason; blanks are refused by the server with a Swedish message.
      await page.getByRole('heading', { level: 2, name: 'Makulera handlingen' }).waitFor();
      await checkPage(page, 'obliterate-form');
      await page.getByLabel('Skäl till makulering').fill('   ');
      await clickAndWait(page, page.getByRole('button', { name: 'Makulera', exact: true }));
      await page.getByRole('alert').getByText('Skriv varför handlingen makuleras').waitFor();
      assert.equal(await page.getByRole('alert').locator('a[href="#obliteration_reason"]').count(), 1, 'the summary links the field');
      assert.equal(await page.locator('#obliteration_reason').getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator('#obliteration_reason').getAttribute('aria-describedby'), /obliteration_reason-error/);
      await checkPage(page, 'obliterate-no-reason');

      await page.getByLabel('Skäl till makulering').fill(reason);
      await clickAndWait(page, page.getByRole('button', { name: 'Makulera', exact: true }));
      assert.equal(pathOf(page), recordPath);
      await page.getByText(reason).first().waitFor();
      await page.getByText(/Handlingen är makulerad/).waitFor();
      assert.equal(await page.getByRole('heading', { level: 2, name: 'Makulera handlingen' }).count(), 0, 'obliterated once');
      await checkPage(page, 'obliterated-record');

      // Still in the case's list, marked.
      await visit(page, casePath, 'obliterated-in-case');
      await page.locator('table tbody tr', { hasText: title }).getByText('Makulerad').waitFor();

      // The public diary shows it obliterated with the date, not the reason.
      const caseId = casePath.split('/').pop();
      const visitor = await newPage(browser);
      try {
        const res = await visitor.page.goto(url('karlstad', `/diarium/arende/${caseId}`));
        assert.equal(res.status(), 200);
        const row = visitor.page.locator('table tbody tr', { hasText: title });
        const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
        await row.getByText(`Makulerad ${today}`).waitFor();
        assert.equal(await visitor.page.getByText(reason).count(), 0, 'the reason is not public');
        await checkPage(visitor.page, 'obliterated-public-diary');
      } finally {
        await visitor.context.close();
      }
    } finally {
      await context.close();
    }
  });

  test('each case type has an appeal instruction, dropped only with a reason', async () => {
    const { context, page } = await staffPage(ADMIN, 'appeal-admin');
    try {
      await visit(page, '/admin/diarier', 'appeal-registries', 'Diarier och ärendetyper');
      await page.getByRole('heading', { level: 2, name: 'Överklagandehänvisning' }).waitFor();
      const form = page.locator('form[action$="/overklagande"]').first();
      const text = await form.getByLabel('Överklagandehänvisning (frivilligt)', { exact: true }).inputValue();
      assert.match(text, /inom tre veckor från den dag då du fick del av beslutet/);
      await form.getByLabel('Beslut av den här typen kan inte överklagas: ingen överklagandehänvisning').check();
      await clickAndWait(page, form.getByRole('button', { name: 'Spara överklagandehänvisning' }));
      await page.getByRole('alert').getByText(/inte ska ha någon överklagandehänvisning/).waitFor();
      await checkPage(page, 'appeal-no-reason');
    } finally {
      await context.close();
    }
  });
});
