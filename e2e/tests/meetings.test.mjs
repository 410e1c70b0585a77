// Committee administration: the secretary's pages (committee, waiting proposals, a meeting, an
// item of the minutes), the member's view of their meetings and papers, the public notice
// board (with the demo's correction noted and the announcement as PDF/A) and the citizen whose
// e-service case KS decided (Mina ärenden: Beslutat, with the extract), each with axe at 1280
// and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, newPage, pathOf, staffPage, url } from '../lib.mjs';

describe('Nämndsadministration', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the secretary accepts a waiting proposal and reads the held meeting and its paragraphs', async () => {
    const { page } = await staffPage(browser, 'karlstad', 'johan.berg@karlstad.se', 'meetings-admin-start');
    await clickAndWait(page, page.getByRole('link', { name: 'Nämnder och sammanträden' }));
    assert.equal(pathOf(page), '/admin/moten');
    await checkPage(page, 'meetings-index');
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunstyrelsen' }));
    await page.getByRole('heading', { level: 2, name: 'Anmälda ärenden som väntar' }).waitFor();
    await checkPage(page, 'meetings-committee');
    const proposal = page.getByRole('region', { name: /Riktlinjer för sociala medier/ });
    await clickAndWait(page, proposal.getByRole('button', { name: 'Lägg på föredragningslistan' }));
    assert.match(pathOf(page), /^\/admin\/moten\/mote\//);
    await page.getByRole('main').getByText('Riktlinjer för sociala medier').waitFor();
    await checkPage(page, 'meetings-planned');

    await page.goto(url('karlstad', '/admin/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunstyrelsen' }));
    const held = page.getByRole('listitem').filter({ hasText: 'anslaget' }).getByRole('link');
    await clickAndWait(page, held);
    await page.getByText('Kontrollsumma för granskning').waitFor();
    // The extracts are registered in their cases and dispatched to the parties.
    await page.getByRole('heading', { level: 2, name: 'Protokollsutdrag' }).waitFor();
    await page.getByText(/Utdragen expedierades till parterna/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Expediera protokollsutdragen' }).count(), 0, 'dispatched once');
    await checkPage(page, 'meetings-held');
    const pdf = await fetchAs(page, url('karlstad', `${pathOf(page)}/protokoll.pdf`));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await clickAndWait(page, page.getByRole('link', { name: 'Motion om fler cykelbanor i centrum' }));
    await page.getByRole('heading', { level: 2, name: 'Omröstning' }).waitFor();
    await page.getByText('Till förmån för eget yrkande.').waitFor();
    await checkPage(page, 'meetings-paragraph');
  });

  test("the secretary sees when kommunfullmäktige's meeting was announced", async () => {
    const { page } = await staffPage(browser, 'karlstad', 'johan.berg@karlstad.se', 'meetings-kf-start');
    await page.goto(url('karlstad', '/admin/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunfullmäktige' }));
    await clickAndWait(page, page.getByRole('listitem').filter({ hasText: 'kallelse skickad' }).getByRole('link'));
    await page.getByText('Kungjort på anslagstavlan').waitFor();
    assert.equal(await page.getByText('Mindre än en vecka före sammanträdet').count(), 0, 'announced ten days before');
    await checkPage(page, 'meetings-kf-announced');
  });

  test('a member sees their meetings and the notice of the next one', async () => {
    const { page } = await staffPage(browser, 'karlstad', 'maria.berg@karlstad.se', 'meetings-member-start');
    await page.goto(url('karlstad', '/admin/moten'));
    await page.getByRole('heading', { level: 2, name: 'Mina sammanträden' }).waitFor();
    await checkPage(page, 'meetings-member');
    await clickAndWait(page, page.getByRole('listitem').filter({ hasText: 'kallelse skickad' }).getByRole('link'));
    await page.getByRole('link', { name: 'Kallelse och föredragningslista (PDF)' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sammanträdet är genomfört' }).count(), 0, 'a member is not the secretary');
    await checkPage(page, 'meetings-member-meeting');
  });

  test('anyone reads the notice board with the last day to appeal', async () => {
    const { page } = await newPage(browser);
    await page.goto(url('karlstad', '/anslagstavla'));
    await page.getByRole('heading', { level: 1, name: 'Anslagstavla' }).waitFor();
    await page.getByText('Sista dag att överklaga').first().waitFor();
    await page.getByText(/KS §§ \d+–\d+/).first().waitFor();
    await page.getByText(/Kungörelse: Kommunfullmäktige sammanträder/).waitFor();
    // The demo's correction of KS's minutes is a note on the announcement.
    await page.getByText(/^Protokollet rättades .+ \(version \d+\): KS § \d+(, KS § \d+)*\.$/).waitFor();
    await checkPage(page, 'meetings-notice-board');
    const board = await page.getByRole('link', { name: 'Tillkännagivandet som PDF för utskrift' }).first().getAttribute('href');
    const announcement = await fetchAs(page, url('karlstad', board));
    assert.equal(announcement.status(), 200);
    assert.equal(announcement.headers()['content-type'], 'application/pdf');
  });

  test('the citizen whose e-service case went to KS sees it decided, with the extract', async () => {
    const { page } = await newPage(browser);
    await page.goto(url('', '/e-legitimation/test?next=%2Fmina-arenden'));
    await page.getByLabel(/^Astrid Lindqvist/).check();
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    const table = page.getByRole('table', { name: 'Mina ärenden' });
    const row = table.getByRole('row').filter({ hasText: 'Felanmälan och synpunkter' });
    // The read model follows the case events within a delivery tick or two.
    for (let i = 0; i < 20 && !(await row.filter({ hasText: 'Beslutat' }).isVisible()); i += 1) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    await row.filter({ hasText: 'Beslutat' }).waitFor();
    // Only the decided one: other e2e files leave Astrid more feedback cases (Torsby's, open).
    await clickAndWait(page, row.filter({ hasText: 'Beslutat' }).getByRole('link').first());
    await page.getByText(/Protokollsutdrag KS § \d+ Synpunkt: Belysning vid Herrhagens lekplats/).first().waitFor();
    await checkPage(page, 'meetings-citizen-decided');
  });
});
