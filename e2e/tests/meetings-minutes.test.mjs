// Committee administration, after the adjustment: the adjusted minutes are frozen; the
// secretary corrects a paragraph (a writing error) as a new version of the minutes with a
// reason, every version is listed (its checksum behind a summary), the corrected extract waits
// in its case and is dispatched, and the public meeting page says the minutes were corrected and
// offers the public version as PDF/A. Axe at 1280 and 360 px on each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, newPage, pathOf, staffPage, url } from '../lib.mjs';

describe('Rättelse av justerat protokoll', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a correction is a new version with its reason, and the public page says so', async () => {
    const { page } = await staffPage(browser, 'karlstad', 'johan.berg@karlstad.se', 'meetings-minutes-start');
    await page.goto(url('karlstad', '/admin/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunstyrelsen' }));
    await clickAndWait(page, page.getByRole('listitem').filter({ hasText: 'anslaget' }).getByRole('link'));
    const meeting = pathOf(page);
    const id = meeting.split('/').pop();
    await clickAndWait(page, page.getByRole('link', { name: 'Rättelser av protokollet' }));
    await page.getByRole('heading', { level: 1, name: 'Rättelser av protokollet' }).waitFor();
    await page.getByRole('cell', { name: 'Det justerade protokollet' }).waitFor();
    await checkPage(page, 'meetings-corrections');

    // Choose the paragraph; the form starts from its current texts.
    await clickAndWait(page, page.getByRole('link', { name: /Rätta KS § \d+ Motion om fler cykelbanor i centrum/ }));
    const decision = page.getByLabel('Beslut', { exact: true });
    const text = await decision.inputValue();
    assert.ok(text.length > 0, 'the current decision text is in the form');
    await decision.fill(`${text} Beslutet gäller från och med den 1 januari.`);
    await checkPage(page, 'meetings-correction-form');
    // Without a reason the form is refused at the field: the summary links to it, the message,
    // aria-invalid and aria-describedby are at the field and the corrected text is kept.
    await clickAndWait(page, page.getByRole('button', { name: 'Spara rättelsen som ny version' }));
    const summary = page.locator('.ds-error-summary');
    await summary.getByRole('link', { name: 'Skäl för rättelsen: Skriv skälet för rättelsen. Det får vara högst 2 000 tecken.' }).waitFor();
    assert.equal(await summary.getByRole('link').getAttribute('href'), '#corr-reason');
    const reason = page.getByLabel('Skäl för rättelsen');
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    assert.equal(await reason.getAttribute('aria-describedby'), 'corr-reason-hint corr-reason-error');
    await page.locator('#corr-reason-error').getByText('Skriv skälet för rättelsen.').waitFor();
    assert.match(await page.getByLabel('Beslut', { exact: true }).inputValue(), /Beslutet gäller från och med den 1 januari\./);
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 1, 'only the reason');
    await checkPage(page, 'meetings-correction-refused');
    await reason.fill('Skrivfel: meningen om när beslutet gäller föll bort.');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara rättelsen som ny version' }));
    assert.equal(pathOf(page), `${meeting}/rattelser`);
    const row = page.getByRole('row').filter({ hasText: 'Skrivfel: meningen om när beslutet gäller föll bort.' });
    await row.waitFor();
    // Version 3: the demo's own correction of the harbour paragraph is version 2.
    await row.getByRole('link', { name: '3' }).waitFor();
    await checkPage(page, 'meetings-corrected');
    const pdf = await fetchAs(page, url('karlstad', `${meeting}/rattelser/protokoll.pdf?version=2`));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');

    // The corrected paragraph's extract is registered in its case and waits to be dispatched.
    await page.goto(url('karlstad', meeting));
    await page.getByText('Registrerade i ärendena men inte expedierade till parterna: 1.').waitFor();
    await clickAndWait(page, page.getByRole('button', { name: 'Expediera protokollsutdragen' }));
    await page.getByText(/Utdragen expedierades till parterna/).waitFor();

    // The public page: the current text, "corrected" with the time, not the reason.
    const { page: pub } = await newPage(browser);
    await pub.goto(url('karlstad', `/moten/mote/${id}`));
    await pub.getByText(/Protokollet har rättats/).waitFor();
    // This paragraph and the harbour paragraph the demo corrected.
    await pub.getByRole('region', { name: /Motion om fler cykelbanor i centrum/ }).getByText(/Paragrafen rättades/).waitFor();
    await pub.getByText(/Beslutet gäller från och med den 1 januari\./).waitFor();
    assert.equal(await pub.getByText('Skrivfel').count(), 0, 'the reason is for staff');
    await checkPage(pub, 'meetings-public-corrected');
    const publicPdf = await fetchAs(pub, url('karlstad', `/moten/mote/${id}/protokoll.pdf`));
    assert.equal(publicPdf.status(), 200);
    assert.equal(publicPdf.headers()['content-type'], 'application/pdf');
  });
});
