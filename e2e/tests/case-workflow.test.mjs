// The case workflow beyond registration: an outbound record's approval route (a caseworker
// sends it, the manager returns without a comment, gets an error, then approves), watches with
// their Atom and iCalendar feeds, related cases, the disposal page and the E-ARK archive export.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, pathOf, staffPage as staffPageOf, url, visit as visitPage } from '../lib.mjs';

const ADMIN = 'admin@karlstad.se';
const CASEWORKER = 'omar.said@karlstad.se';
const MANAGER = 'eva.lind@karlstad.se';
const DIARY_NUMBER = /^(KS|BN) \d{4}\/\d+$/;

describe('the case workflow in Karlstad', () => {
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
  const path = pathOf;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  const get = fetchAs;

  /** Submits a form with the given button and returns the response to the POST. */
  const submit = async (page, button, action) => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action),
      page.waitForNavigation(),
      button.click(),
    ]);
    await page.waitForLoadState('load');
    return res;
  };

  /** The caseworker's open cases: [{ number, href, title }] from /admin/arenden. */
  const openCases = async (page, name) => {
    await visit(page, '/admin/arenden?vy=mina&status=open', name, 'Ärenden');
    const cases = [];
    for (const row of await page.locator('table tbody tr').all()) {
      const link = row.locator('td:first-child a');
      cases.push({
        number: (await link.textContent()).trim(),
        href: await link.getAttribute('href'),
        title: (await row.locator('td:nth-child(2)').textContent()).trim(),
      });
    }
    assert.ok(cases.length >= 3, `the caseworker has at least three open cases (${cases.length})`);
    for (const c of cases) assert.match(c.number, DIARY_NUMBER);
    return cases;
  };

  /** Opens a case from the list by clicking its diary number. */
  const openCase = async (page, c, name) => {
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: c.number, exact: true }));
    assert.equal(path(page), c.href);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${escape(c.number)} `) }).waitFor();
    await checkPage(page, name);
  };

  test('approval routing: the caseworker sends an outbound record, the manager returns it without a comment, then approves', async () => {
    const title = `Beslut om bygglov ${stamp}`;
    const omar = await staffPage(CASEWORKER, 'workflow-admin-caseworker');
    const eva = await staffPage(MANAGER, 'workflow-admin-manager');
    try {
      const page = omar.page;
      // A building permit case: the public diary test (run in parallel) expects every hit for
      // "bygglovet" to be about a building permit, and it searches record titles too.
      const c = (await openCases(page, 'workflow-cases-open')).find((o) => o.title.startsWith('Bygglov'));
      assert.ok(c, 'the caseworker has an open building permit case');
      await openCase(page, c, 'workflow-case');

      await page.getByText('Ny handling', { exact: true }).click();
      await page.getByLabel('Typ av handling').selectOption({ label: 'Utgående' });
      await page.locator('#r-title').fill(title);
      await page.getByLabel('Avsändare/mottagare', { exact: true }).fill('Byggfirman AB');
      assert.ok(await page.getByLabel('Registrera direkt').isChecked(), 'registered at once');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till handlingen' }));
      assert.equal(path(page), c.href);
      const row = page.locator('table tbody tr', { hasText: title });
      await row.getByText('Utgående').waitFor();
      await row.getByText('Registrerad').waitFor();
      await checkPage(page, 'workflow-case-outbound');

      await clickAndWait(page, row.locator('td:first-child a'));
      assert.match(path(page), /^\/admin\/handlingar\/[0-9a-f-]{36}$/);
      const recordPath = path(page);
      await page.getByRole('heading', { level: 1, name: new RegExp(`${escape(title)}$`) }).waitFor();
      await checkPage(page, 'workflow-record-registered');

      // Issue 18: establishing goes through a confirmation page.
      await clickAndWait(page, page.getByRole('link', { name: 'Fastställ', exact: true }));
      assert.equal(path(page), `${recordPath}/faststall`);
      await checkPage(page, 'workflow-record-establish-confirm');
      await clickAndWait(page, page.getByRole('button', { name: 'Ja, fastställ handlingen' }));
      assert.equal(path(page), recordPath);
      const facts = page.locator('dl.facts');
      await facts.getByText('Fastställd', { exact: true }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Godkännande' }).waitFor();
      await checkPage(page, 'workflow-record-established');

      const approver = page.getByLabel('Godkännare 1');
      const evaOption = (await approver.locator('option').allTextContents()).find((o) => o.startsWith('Eva Lind'));
      assert.ok(evaOption, 'Eva Lind can be chosen as approver');
      assert.ok(
        !(await approver.locator('option').allTextContents()).some((o) => o.startsWith('Omar Said')),
        'the caseworker cannot choose himself',
      );
      await approver.selectOption({ label: evaOption });
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka för godkännande' }));
      assert.equal(path(page), recordPath);
      await page.locator('ol.approval-steps li', { hasText: 'Eva Lind' }).getByText(/ska godkänna nu/).waitFor();
      assert.equal(await page.getByLabel('Godkännare 1').count(), 0, 'the route is open: no new one can be sent');
      await checkPage(page, 'workflow-record-sent');

      // The manager: her list of records to approve.
      const p2 = eva.page;
      await visit(p2, '/admin/godkannanden', 'workflow-approvals', 'Att godkänna');
      const waiting = p2.getByRole('table', { name: 'Handlingar som väntar på dig' }).locator('tbody tr', { hasText: title });
      await waiting.getByText('Omar Said').waitFor();
      await clickAndWait(p2, waiting.locator('td:first-child a'));
      assert.equal(path(p2), recordPath);
      await p2.getByRole('heading', { level: 1, name: new RegExp(`${escape(title)}$`) }).waitFor();
      await checkPage(p2, 'workflow-record-to-approve');

      // Returning needs a comment.
      const res = await submit(p2, p2.getByRole('button', { name: 'Returnera' }), `${recordPath}/godkannande/beslut`);
      assert.ok(res.status() >= 400 && res.status() < 500, `returning without a comment is refused (${res.status()})`);
      await p2.getByRole('alert').getByText('Skriv varför handlingen returneras.').waitFor();
      await p2.getByRole('button', { name: 'Godkänn' }).waitFor();
      await checkPage(p2, 'workflow-record-return-error');

      await clickAndWait(p2, p2.getByRole('button', { name: 'Godkänn' }));
      assert.equal(path(p2), recordPath);
      await p2.locator('dl.facts').getByText('Godkänd', { exact: true }).waitFor();
      assert.equal(await p2.getByRole('button', { name: 'Returnera' }).count(), 0, 'nothing left to decide');
      await checkPage(p2, 'workflow-record-approved-by-manager');
      await visit(p2, '/admin/godkannanden', 'workflow-approvals-empty', 'Att godkänna');
      assert.equal(await p2.locator('table tbody tr', { hasText: title }).count(), 0, 'the record has left the list');

      // The caseworker sees the approval.
      await visit(page, recordPath, 'workflow-record-approved');
      await facts.getByText('Godkänd', { exact: true }).waitFor();
      await page.locator('ol.approval-steps li', { hasText: 'Eva Lind' }).getByText(/godkänt/).waitFor();
      await page.getByRole('button', { name: 'Markera som expedierad' }).waitFor();
      // Issue 20: drawn up (upprättad, TF 2 kap. 10 §) only once dispatched.
      assert.equal(await facts.getByText('Upprättad', { exact: true }).count(), 0, 'not drawn up before dispatch');
      await clickAndWait(page, page.getByRole('button', { name: 'Markera som expedierad' }));
      await facts.getByText('Expedierad', { exact: true }).first().waitFor();
      await facts.getByText('Upprättad', { exact: true }).waitFor();
      await checkPage(page, 'workflow-record-dispatched');
    } finally {
      await omar.context.close();
      await eva.context.close();
    }
  });

  test('watches: a new watch, the list, the Atom and iCalendar feeds, marking it done', async () => {
    const note = `Begär komplettering ${stamp}`;
    const due = new Date(Date.now() + 5 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const { context, page } = await staffPage(CASEWORKER, 'watches-admin-caseworker');
    try {
      const cases = await openCases(page, 'watches-cases-open');
      const c = cases[1];
      await openCase(page, c, 'watches-case');

      await page.getByText('Ny bevakning', { exact: true }).click();
      const form = page.locator(`form[action="${c.href}/bevakningar"]`);
      await form.getByLabel('Datum', { exact: true }).fill(due);
      await form.getByLabel('Påminn antal dagar före').fill('2');
      await form.getByLabel('Kommentar').fill(note);
      await checkPage(page, 'watches-case-form');
      await clickAndWait(page, form.getByRole('button', { name: 'Lägg till bevakning' }));
      assert.equal(path(page), c.href);
      await page.getByText(`${due}: ${note}`, { exact: true }).waitFor();
      await page.locator('ol.timeline li', { hasText: `Bevakning till ${due}: ${note}` }).waitFor();
      await checkPage(page, 'watches-case-added');

      await visit(page, '/admin/bevakningar', 'watches', 'Bevakningar');
      const row = page.getByRole('table', { name: 'Dina öppna bevakningar' }).locator('tbody tr', { hasText: note });
      await row.getByText(due).waitFor();
      await row.getByRole('link', { name: c.number, exact: true }).waitFor();

      await clickAndWait(page, page.getByRole('button', { name: 'Skapa ny flödesadress' }));
      const feed = page.getByRole('status');
      await feed.getByText('Adresserna visas bara nu.').waitFor();
      const [atom, ics] = (await feed.locator('code').allTextContents()).map((s) => s.trim());
      assert.match(atom, /^http:\/\/karlstad\.localhost:\d+\/flode\/[^/]+\/bevakningar\.atom$/);
      assert.match(ics, /^http:\/\/karlstad\.localhost:\d+\/flode\/[^/]+\/bevakningar\.ics$/);
      await checkPage(page, 'watches-feed');

      const atomRes = await get(page, atom);
      assert.equal(atomRes.status(), 200, 'the Atom feed answers 200');
      assert.match(atomRes.headers()['content-type'], /^application\/atom\+xml/);
      const atomText = await atomRes.text();
      assert.ok(atomText.includes('<feed xmlns="http://www.w3.org/2005/Atom">'), 'an Atom feed');
      assert.ok(atomText.includes(note), 'the feed has the watch');
      const icsRes = await get(page, ics);
      assert.equal(icsRes.status(), 200, 'the calendar answers 200');
      assert.match(icsRes.headers()['content-type'], /^text\/calendar/);
      const icsText = await icsRes.text();
      assert.ok(icsText.startsWith('BEGIN:VCALENDAR'), 'an iCalendar file');
      assert.ok(icsText.includes(due.replaceAll('-', '')), 'the calendar has the date of the watch');
      // A wrong key finds nothing.
      assert.equal((await get(page, atom.replace(/\/flode\/[^/]+\//, '/flode/fel/'))).status(), 404);

      await visit(page, '/admin/bevakningar', 'watches-again', 'Bevakningar');
      await clickAndWait(page, row.getByRole('button', { name: `Klar: ${c.number}` }));
      assert.equal(path(page), '/admin/bevakningar');
      assert.equal(await page.locator('table tbody tr', { hasText: note }).count(), 0, 'the watch is done');
      await checkPage(page, 'watches-done');
      assert.ok(!(await (await get(page, atom)).text()).includes(note), 'the feed no longer has the watch');
    } finally {
      await context.close();
    }
  });

  test('related cases: by diary number, and an unknown number is refused in Swedish', async () => {
    const { context, page } = await staffPage(CASEWORKER, 'related-admin-caseworker');
    try {
      const cases = await openCases(page, 'related-cases-open');
      const [c, other] = [cases[2], cases[0]];
      await openCase(page, c, 'related-case');

      const form = page.locator(`form[action="${c.href}/relaterade"]`);
      await form.getByLabel('Diarienummer för ett annat ärende').fill(other.number);
      await clickAndWait(page, form.getByRole('button', { name: 'Relatera' }));
      assert.equal(path(page), c.href);
      const related = page.getByRole('heading', { level: 2, name: 'Relaterade ärenden' }).locator('xpath=following-sibling::ul[1]');
      await related.getByRole('link', { name: other.number, exact: true }).waitFor();
      assert.equal(await related.getByRole('link', { name: other.number, exact: true }).getAttribute('href'), other.href);
      assert.equal(await page.getByText('Inga relaterade ärenden.').count(), 0);
      await checkPage(page, 'related-added');

      await form.getByLabel('Diarienummer för ett annat ärende').fill('BN 1999/1');
      const res = await submit(page, form.getByRole('button', { name: 'Relatera' }), `${c.href}/relaterade`);
      assert.ok(res.status() >= 400 && res.status() < 500, `an unknown number is refused (${res.status()})`);
      await page.getByRole('alert').getByText('Det finns inget ärende med det diarienumret som du kan se.').waitFor();
      await page.getByRole('heading', { level: 1, name: new RegExp(`^${escape(c.number)} `) }).waitFor();
      await checkPage(page, 'related-unknown');

      // The relation shows from the other case too.
      await visit(page, other.href, 'related-other-case');
      await page.getByRole('main').getByRole('link', { name: c.number, exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('the administrator: the disposal page and the E-ARK package of a closed case', async () => {
    const { context, page } = await staffPage(ADMIN, 'disposal-admin');
    try {
      await visit(page, '/admin/gallring', 'disposal', 'Gallring');
      const none = await page.getByText('Inga ärenden ska gallras nu.').count();
      const listed = await page.getByRole('group', { name: 'Ärenden att gallra' }).count();
      assert.equal(none + listed, 1, 'either nothing to dispose of or a list of cases');

      await visit(page, '/admin/arenden?vy=alla', 'archive-cases-all', 'Ärenden');
      await page.getByLabel('Status').selectOption({ label: 'Avslutat' });
      await clickAndWait(page, page.getByRole('button', { name: 'Visa' }));
      const query = new URL(page.url()).searchParams;
      assert.equal(query.get('vy'), 'alla');
      assert.equal(query.get('status'), 'closed');
      const statuses = (await page.locator('table tbody tr td:nth-child(5)').allTextContents()).map((s) => s.trim());
      assert.ok(statuses.length > 0, 'there are closed cases');
      assert.deepEqual([...new Set(statuses)], ['Avslutat']);
      await checkPage(page, 'archive-cases-closed');

      const first = page.locator('table tbody tr td:first-child a').first();
      const c = { number: (await first.textContent()).trim(), href: await first.getAttribute('href') };
      await openCase(page, c, 'archive-case-closed');
      assert.equal((await page.locator('dl.facts dd').first().textContent()).trim(), 'Avslutat', 'the case is closed');
      const link = page.getByRole('link', { name: 'Ladda ned arkivpaket (E-ARK)' });
      const href = await link.getAttribute('href');
      assert.equal(href, `${c.href}/arkivpaket`);
      const res = await get(page, url('karlstad', href));
      assert.equal(res.status(), 200, 'the package answers 200');
      assert.equal(res.headers()['content-type'], 'application/zip');
      assert.match(res.headers()['content-disposition'], /^attachment; filename="radhus-.+\.zip"$/);
      const zip = await res.body();
      assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'a zip file');
      assert.ok(zip.includes('METS.xml'), 'with a METS.xml');

      // An open case has no package.
      await visit(page, '/admin/arenden?vy=alla&status=open', 'archive-cases-open', 'Ärenden');
      const open = page.locator('table tbody tr td:first-child a').first();
      const o = { number: (await open.textContent()).trim(), href: await open.getAttribute('href') };
      await openCase(page, o, 'archive-case-open');
      assert.equal(await page.getByRole('link', { name: 'Ladda ned arkivpaket (E-ARK)' }).count(), 0);
      assert.ok((await get(page, url('karlstad', `${o.href}/arkivpaket`))).status() >= 400, 'no package of an open case');
    } finally {
      await context.close();
    }
  });
});
