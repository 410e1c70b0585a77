// Election courses and the poll worker's own pages in Kil: the office creates an election, a
// course and a session, and sees the session page and its calendar file; a resident without
// a person record sees the "not registered" page; the e-mail link pages. When the demo has a
// poll worker with an assignment (Erik Johansson, 19720901-4419, in Kil), the worker's page
// and the decline confirmation are checked too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, newPage, pathOf, staffPage, url } from '../lib.mjs';

const ADMIN = 'admin@kil.se';
/** A demo person in Kil who is expected to have an assignment once the demo seeds staffing. */
const WORKER = '19720901-4419';
/** A test person who is not a poll worker in Kil. */
const RESIDENT = '19461201-2452';

async function eidLogin(page, pnr) {
  await page.goto(url('kil', '/e-legitimation/test'));
  await page.getByLabel('Eller skriv ett personnummer').fill(pnr);
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
  // The login lands on the start page: check it (and let its requests finish) before moving on.
  await checkPage(page, `worker-eid-${pnr}`);
}

describe('election courses and the poll worker pages in Kil', () => {
  let browser;
  const stamp = Date.now().toString(36);

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the office creates a course and a session and checks its pages', async () => {
    const { context, page } = await staffPage(browser, 'kil', ADMIN, 'courses-admin');
    try {
      await page.goto(url('kil', '/admin/val'));
      await page.getByRole('heading', { level: 1, name: 'Valadministration' }).waitFor();
      await checkPage(page, 'courses-elections');
      await page.getByLabel('Namn', { exact: true }).fill(`Kursvalet ${stamp}`);
      await page.getByLabel('Valdag').fill('2026-09-13');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa valet' }));
      const election = pathOf(page);
      assert.match(election, /^\/admin\/val\/[0-9a-f-]{36}$/);
      await checkPage(page, 'courses-election');
      await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Utbildningar' }));
      assert.equal(pathOf(page), `${election}/kurser`);
      await page.getByRole('heading', { level: 1, name: 'Utbildningar' }).waitFor();
      await checkPage(page, 'courses-empty');

      // A session without a course is not offered; first the course (the name is required).
      await page.getByLabel('Utbildning', { exact: true }).selectOption('grund');
      await page.locator('#c-name').fill('Grundutbildning för röstmottagare');
      await page.locator('#c-desc').fill('Röstmottagningen steg för steg, cirka tre timmar.');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till utbildning' }));
      await page.getByRole('heading', { level: 2, name: 'Grundutbildning för röstmottagare' }).waitFor();
      await checkPage(page, 'courses-one');

      // A session whose end is before its start is refused and the form keeps the values.
      await page.locator('#s-day').fill('2026-08-18');
      await page.locator('#s-starts').fill('21:00');
      await page.locator('#s-ends').fill('18:00');
      await page.locator('#s-place').fill('Kommunhuset, sal A');
      await page.locator('#s-cap').fill('25');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till tillfälle' }).last());
      await page.getByRole('alert').getByText('Tillfället måste sluta efter att det börjar.').waitFor();
      assert.equal(await page.locator('#s-place').inputValue(), 'Kommunhuset, sal A');
      await checkPage(page, 'courses-session-error');
      await page.locator('#s-starts').fill('18:00');
      await page.locator('#s-ends').fill('21:00');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till tillfälle' }).last());
      const session = pathOf(page);
      assert.match(session, /\/kurser\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { level: 1, name: 'Grundutbildning för röstmottagare' }).waitFor();
      await page.getByText('tisdag 18 augusti 18:00–21:00').first().waitFor();
      await checkPage(page, 'courses-session');

      const ics = await fetchAs(page, url('kil', `${session}.ics`));
      assert.equal(ics.status(), 200);
      const body = await ics.text();
      assert.match(body, /^BEGIN:VCALENDAR\r\n/);
      assert.match(body, /DTSTART:20260818T160000Z\r\n/);
      assert.match(body, /LOCATION:Kommunhuset\\, sal A\r\n/);

      await clickAndWait(page, page.locator('.breadcrumbs').getByRole('link', { name: 'Utbildningar' }));
      await page.getByRole('link', { name: 'tisdag 18 augusti 18:00–21:00' }).waitFor();
      await checkPage(page, 'courses-overview');

      // A session still to come can be changed (opened without JavaScript: <details>) and removed.
      await page.locator('#s-day').fill('2027-01-14');
      await page.locator('#s-starts').fill('18:00');
      await page.locator('#s-ends').fill('21:00');
      await page.locator('#s-place').fill('Biblioteket');
      await page.locator('#s-cap').fill('10');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till tillfälle' }).last());
      await page.getByText('torsdag 14 januari 18:00–21:00').first().waitFor();
      await page.getByText('Ändra eller ta bort tillfället').click();
      await page.locator('#x-place').fill('Stadsbiblioteket, studierummet');
      await page.locator('#x-cap').fill('0');
      await clickAndWait(page, page.getByRole('button', { name: 'Spara ändringen' }));
      await page.getByRole('alert').waitFor();
      assert.equal(await page.locator('#x-place').inputValue(), 'Stadsbiblioteket, studierummet');
      await checkPage(page, 'courses-session-change-error');
      await page.locator('#x-cap').fill('12');
      await clickAndWait(page, page.getByRole('button', { name: 'Spara ändringen' }));
      await page.getByText('Stadsbiblioteket, studierummet').first().waitFor();
      await checkPage(page, 'courses-session-changed');
      await page.getByText('Ändra eller ta bort tillfället').click();
      await clickAndWait(page, page.getByRole('button', { name: 'Ta bort tillfället' }));
      assert.equal(pathOf(page), `${election}/kurser`);
      assert.equal(await page.getByRole('link', { name: 'torsdag 14 januari 18:00–21:00' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  test('the poll worker pages: login, e-mail link and not registered', async () => {
    const { context, page } = await newPage(browser);
    try {
      const res = await page.goto(url('kil', '/valarbete/mina-sidor'));
      assert.equal(res.status(), 200);
      await page.getByRole('heading', { level: 1, name: 'Mina sidor för valarbetet' }).waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Logga in med e-legitimation' }).waitFor();
      await checkPage(page, 'worker-login');

      await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /inloggningslänk med e-post/ }));
      await checkPage(page, 'worker-email');
      // A refused address: the summary links to the field, the message is at the field.
      await page.getByLabel('E-postadress').fill('inte-en-adress');
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka länken' }));
      const summary = page.locator('.ds-error-summary');
      await summary.getByRole('link', { name: /^E-postadress: Skriv e-postadressen du angav/ }).waitFor();
      assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#email');
      const field = page.getByLabel('E-postadress');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await field.getAttribute('aria-describedby'), 'email-error');
      assert.match(await page.locator('#email-error').textContent(), /^Skriv e-postadressen du angav i din intresseanmälan/);
      await checkPage(page, 'worker-email-refused');
      await page.getByLabel('E-postadress').fill(`ingen-${stamp}@example.se`);
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka länken' }));
      await page.getByText('Om adressen finns hos oss').waitFor();
      await checkPage(page, 'worker-email-sent');

      await page.goto(url('kil', '/valarbete/mina-sidor/lank?t=ogiltig'));
      await checkPage(page, 'worker-link');
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
      await page.getByRole('alert').getByText(/Länken fungerar inte/).waitFor();
      await checkPage(page, 'worker-link-bad');

      await eidLogin(page, RESIDENT);
      await page.goto(url('kil', '/valarbete/mina-sidor'));
      await page.getByText('Du är inte registrerad som röstmottagare i den här kommunen').waitFor();
      await checkPage(page, 'worker-not-registered');
    } finally {
      await context.close();
    }
  });

  test('a poll worker with an assignment sees the page (the demo places Erik Johansson in Kil)', async () => {
    const { context, page } = await newPage(browser);
    try {
      await eidLogin(page, WORKER);
      await page.goto(url('kil', '/valarbete/mina-sidor'));
      await page.getByRole('heading', { level: 1, name: 'Mina sidor för valarbetet' }).waitFor();
      assert.equal(await page.getByText('Du är inte registrerad').count(), 0, 'the demo has the poll worker');
      await page.getByText(/Välkommen, Erik/).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Ditt uppdrag' }).first().waitFor();
      // Placed in a station (other elections, made by other tests, may still have none for him).
      await page.locator('dt', { hasText: /^Lokal$/ }).first().waitFor();
      await checkPage(page, 'worker-home');
      // The demo's worker has not declined: the way to decline is there, and back from it.
      const decline = page.getByRole('button', { name: /^Tacka nej/ }).first();
      await clickAndWait(page, decline);
      await page.getByRole('heading', { level: 2, name: 'Tacka nej till uppdraget' }).waitFor();
      await checkPage(page, 'worker-decline');
      await clickAndWait(page, page.getByRole('link', { name: 'Nej, gå tillbaka' }));
      await checkPage(page, 'worker-home-again');
      const ics = await fetchAs(page, url('kil', '/valarbete/mina-sidor/kurser.ics'));
      assert.equal(ics.status(), 200);
      assert.match(await ics.text(), /^BEGIN:VCALENDAR\r\n/);
    } finally {
      await context.close();
    }
  });
});
