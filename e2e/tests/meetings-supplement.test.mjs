// Committee administration, after the notice: the secretary changes the agenda and issues a
// supplementary notice (kompletterande kallelse) that shows what changed, the public meeting
// page marks it; then, at the meeting, one paragraph is drawn up for immediate adjustment
// (omedelbar justering) with its own minutes. Axe at 1280 and 360 px on each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, newPage, pathOf, staffPage, url } from '../lib.mjs';

describe('Kompletterande kallelse och omedelbar justering', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a supplementary notice shows what changed, then one paragraph is adjusted immediately', async () => {
    const { page } = await staffPage(browser, 'karlstad', 'johan.berg@karlstad.se', 'meetings-supplement-start');
    await page.goto(url('karlstad', '/admin/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunstyrelsen' }));
    // A meeting of its own, a month ahead, with one item, and its notice.
    const day = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    await page.getByLabel('Datum').fill(day);
    await page.getByLabel('Klockslag').fill('09:00');
    await page.getByLabel('Plats', { exact: true }).fill('Kompletteringssalen');
    await clickAndWait(page, page.getByRole('button', { name: 'Skapa sammanträdet' }));
    assert.match(pathOf(page), /^\/admin\/moten\/mote\//);
    const meeting = pathOf(page);
    await page.getByLabel('Slag av punkt').selectOption('decision');
    await page.getByLabel('Rubrik').fill('Ändrad taxa för parkering');
    await clickAndWait(page, page.getByRole('button', { name: 'Lägg till punkt' }));
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka kallelsen' }));
    await page.getByRole('heading', { level: 2, name: 'Kompletterande kallelse' }).waitFor();
    await page.getByText('Föredragningslistan är oförändrad sedan den senaste kallelsen').waitFor();
    // A supplement without changes is refused with a clear message.
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka kompletterande kallelse' }));
    await page.getByText('Föredragningslistan har inte ändrats sedan den senaste kallelsen').waitFor();
    await checkPage(page, 'meetings-supplement-none');

    // After the notice: an item added; the pending changes are listed.
    await page.getByLabel('Slag av punkt').selectOption('information');
    await page.getByLabel('Rubrik').fill('Information om vinterväghållning');
    await clickAndWait(page, page.getByRole('button', { name: 'Lägg till punkt' }));
    await page.getByRole('listitem').filter({ hasText: 'Tillkommer: Information om vinterväghållning' }).waitFor();
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka kompletterande kallelse' }));
    await page.getByRole('heading', { level: 3, name: /Kompletterande kallelse 1/ }).waitFor();
    await page.getByRole('link', { name: 'Kompletterande kallelse 1' }).waitFor();
    await checkPage(page, 'meetings-supplement-issued');
    const pdf = await fetchAs(page, url('karlstad', `${meeting}/kallelse.pdf?version=2`));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');

    // The public meeting page shows the current agenda and marks the supplement.
    const id = meeting.split('/').pop();
    const { page: pub } = await newPage(browser);
    await pub.goto(url('karlstad', `/moten/mote/${id}`));
    await pub.getByRole('heading', { level: 2, name: 'Kompletterande kallelser' }).waitFor();
    await pub.getByText('Tillkommit genom kompletterande kallelse').waitFor();
    await pub.getByText('Information om vinterväghållning').waitFor();
    await checkPage(pub, 'meetings-supplement-public');

    // At the meeting: the first item decided and drawn up for immediate adjustment.
    await clickAndWait(page, page.getByRole('button', { name: 'Sammanträdet är genomfört' }));
    const present = page.getByRole('group', { name: 'Närvarande' }).getByRole('checkbox');
    for (let i = 0; i < (await present.count()); i++) await present.nth(i).check();
    await clickAndWait(page, page.getByRole('button', { name: 'Spara närvaron' }));
    await clickAndWait(page, page.getByRole('link', { name: 'Ändrad taxa för parkering' }));
    await page.getByLabel('Utfall').selectOption('decided');
    await page.getByLabel('Beslut').fill('Kommunstyrelsen fastställer taxan.');
    await clickAndWait(page, page.getByRole('button', { name: 'Spara' }).first());
    await page.getByRole('heading', { level: 2, name: 'Omedelbar justering' }).waitFor();
    await page.getByRole('group', { name: 'Justerare (utöver ordföranden)' }).getByRole('checkbox').first().check();
    await clickAndWait(page, page.getByRole('button', { name: 'Justera paragrafen omedelbart' }));
    await page.getByRole('heading', { level: 2, name: 'Protokoll, omedelbar justering' }).waitFor();
    await page.getByText('Kontrollsumma för granskning').waitFor();
    await checkPage(page, 'meetings-immediate');
    const minutes = await fetchAs(page, url('karlstad', `${pathOf(page)}/omedelbar.pdf`));
    assert.equal(minutes.status(), 200);
    assert.equal(minutes.headers()['content-type'], 'application/pdf');
  });
});
