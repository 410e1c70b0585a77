// Meetings in public (issue 13 item 11): /moten with the upcoming meetings and the adjusted
// minutes (public version), an upcoming agenda with its public version as PDF/A, a search, a committee page with its Atom and iCalendar
// subscriptions, and the OParl API's entry point; axe at 1280 and 360 px on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, newPage, pathOf, url } from '../lib.mjs';

describe('Sammanträden för allmänheten', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('anyone reads upcoming agendas and adjusted minutes, searches and subscribes', async () => {
    const { page } = await newPage(browser);
    await page.goto(url('karlstad', '/moten'));
    await page.getByRole('heading', { level: 1, name: 'Sammanträden' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Kommande sammanträden' }).waitFor();
    await checkPage(page, 'moten-index');

    // The adjusted minutes of KS: numbered paragraphs, the vote and the last day to appeal.
    await clickAndWait(page, page.getByRole('main').getByRole('listitem').filter({ hasText: 'Protokoll (offentlig version)' }).getByRole('link').first());
    assert.match(pathOf(page), /^\/moten\/mote\//);
    await page.getByText(/KS § \d+/).first().waitFor();
    await page.getByText('Beslutet kan överklagas till och med').first().waitFor();
    await checkPage(page, 'moten-minutes');

    // Search with the platform's stemming; markup stays text.
    await page.goto(url('karlstad', '/moten'));
    await page.getByLabel('Sök i föredragningslistor och protokoll').fill('cykelbanorna');
    await clickAndWait(page, page.getByRole('button', { name: 'Sök' }));
    await page.getByRole('heading', { level: 2, name: 'Sökträffar' }).waitFor();
    assert.ok((await page.getByRole('main').getByRole('link', { name: /ykel/ }).count()) > 0, 'a hit');
    await checkPage(page, 'moten-search');
    await page.goto(url('karlstad', '/moten?q=%3Cb%3Efet%3C%2Fb%3E'));
    await page.getByText('Inga träffar.').waitFor();
    assert.equal(await page.locator('main b').count(), 0, 'markup in the query is text');

    // A committee page with its subscriptions, and an upcoming meeting's agenda.
    await page.goto(url('karlstad', '/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunstyrelsen' }).last());
    assert.match(pathOf(page), /^\/moten\/organ\//);
    const ics = await page.getByRole('link', { name: 'Kalender (iCalendar)' }).getAttribute('href');
    const atom = await page.getByRole('link', { name: 'Nyhetsflöde (Atom)' }).getAttribute('href');
    const calendar = await fetchAs(page, new URL(ics, page.url()).href);
    assert.equal(calendar.status(), 200);
    assert.match(await calendar.text(), /^BEGIN:VCALENDAR/);
    const feed = await fetchAs(page, new URL(atom, page.url()).href);
    assert.equal(feed.status(), 200);
    assert.match(await feed.text(), /<feed[^>]*xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
    await checkPage(page, 'moten-committee');
    await clickAndWait(page, page.getByRole('main').getByRole('listitem').filter({ hasText: 'kallelse skickad' }).getByRole('link').first());
    await page.getByRole('heading', { level: 2, name: 'Föredragningslista' }).waitFor();
    await checkPage(page, 'moten-agenda');
    // The agenda's public version as PDF/A (secret items left out, private persons masked).
    const agendaPdf = await page.getByRole('link', { name: 'Föredragningslistan, offentlig version (PDF)' }).getAttribute('href');
    assert.match(agendaPdf, /^\/moten\/mote\/[0-9a-f-]+\/kallelse\.pdf$/);
    const agenda = await fetchAs(page, new URL(agendaPdf, page.url()).href);
    assert.equal(agenda.status(), 200);
    assert.equal(agenda.headers()['content-type'], 'application/pdf');
    assert.equal((await agenda.body()).subarray(0, 5).toString(), '%PDF-');

    // The OParl entry point answers JSON (fetchAs: Node does not resolve *.localhost).
    const system = await fetchAs(page, url('karlstad', '/api/v1/oparl/system'));
    assert.equal(system.status(), 200);
    assert.equal((await system.json()).type, 'https://schema.oparl.org/1.1/System');
  });
});
