// Committee administration, after the adjustment: the adjusted minutes are frozen; the
// secretary corrects a paragraph (a writing error) as a new version of the minutes with a
// reason, every version is listed with its SHA-256, and the public meeting page says the minutes
// were corrected and offers the public version as PDF/A. Axe at 1280 and 360 px on each page.
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
    // The reason is required (the browser asks for it; the server refuses a post without one,
    // tests/it/corrections.rs).
    assert.notEqual(await page.getByLabel('Skäl för rättelsen').getAttribute('required'), null);
    await checkPage(page, 'meetings-correction-form');
    await page.getByLabel('Skäl för rättelsen').fill('Skrivfel: meningen om när beslutet gäller föll bort.');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara rättelsen som ny version' }));
    assert.equal(pathOf(page), `${meeting}/rattelser`);
    const row = page.getByRole('row').filter({ hasText: 'Skrivfel: meningen om när beslutet gäller föll bort.' });
    await row.waitFor();
    await row.getByRole('link', { name: '2' }).waitFor();
    await checkPage(page, 'meetings-corrected');
    const pdf = await fetchAs(page, url('karlstad', `${meeting}/rattelser/protokoll.pdf?version=2`));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');

    // The public page: the current text, "corrected" with the time, not the reason.
    const { page: pub } = await newPage(browser);
    await pub.goto(url('karlstad', `/moten/mote/${id}`));
    await pub.getByText(/Protokollet har rättats/).waitFor();
    await pub.getByText(/Paragrafen rättades/).waitFor();
    await pub.getByText(/Beslutet gäller från och med den 1 januari\./).waitFor();
    assert.equal(await pub.getByText('Skrivfel').count(), 0, 'the reason is for staff');
    await checkPage(pub, 'meetings-public-corrected');
    const publicPdf = await fetchAs(pub, url('karlstad', `/moten/mote/${id}/protokoll.pdf`));
    assert.equal(publicPdf.status(), 200);
    assert.equal(publicPdf.headers()['content-type'], 'application/pdf');
  });
});
