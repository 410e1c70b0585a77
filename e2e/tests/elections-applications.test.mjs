// Election work on the public web: Kil's election office builds an election through the pages
// (district, vallokal, shift) and opens applications; a visitor applies (a bad personnummer
// first), a citizen applies with the test e-ID; the office screens the applications, checks
// the register again, and writes an information page that the public reads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, pathOf, staffPage, url, visit } from '../lib.mjs';

const ADMIN = 'admin@kil.se';
const RUN = Date.now().toString(36);
const ELECTION = `Valet e2e ${RUN}`;
const SLUG = `e2e-${RUN}`;

describe('applications to work in the election in Kil', () => {
  let browser;
  let election = '';

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  const office = async (name) => {
    const { context, page } = await staffPage(browser, 'kil', ADMIN, name);
    return { context, page };
  };

  /** Fills the application form (the name and number only when they are not locked by e-ID). */
  const fillForm = async (page, { pnr, eid = false }) => {
    if (!eid) {
      await page.getByLabel('Förnamn', { exact: true }).fill('Erik');
      await page.getByLabel('Efternamn', { exact: true }).fill('Johansson');
      await page.getByLabel('Personnummer', { exact: true }).fill(pnr);
    }
    await page.getByLabel('E-postadress (frivilligt)', { exact: true }).fill('erik.e2e@example.com');
    await page.getByLabel('Telefon (frivilligt)', { exact: true }).fill('070-123 45 67');
    await page.getByLabel('Adress', { exact: true }).fill('Storgatan 4');
    await page.getByLabel('Postnummer', { exact: true }).fill('665 30');
    await page.getByLabel('Ort', { exact: true }).fill('Kil');
    await page.getByLabel('Språk förutom svenska').fill('finska');
    await page.getByLabel('Vice ordförande', { exact: true }).check();
    await page.getByLabel('Förstahandsval').selectOption({ label: 'Kils församlingshem, Storgatan 1, Kil' });
    await page.locator('input[name="shifts"]').first().check();
    await page.getByLabel('Valet 2026').selectOption({ label: 'Röstmottagare' });
    await page.getByLabel('Nej, jag kandiderar inte').check();
    await page.getByLabel('Jag har läst hur mina personuppgifter behandlas').check();
  };

  test('the office builds an election and opens applications', async () => {
    const { context, page } = await office('applications-admin');
    try {
      await visit(page, 'kil', '/admin/val', 'applications-elections', 'Valadministration');
      await page.locator('#kind').selectOption('riksdag');
      await page.locator('#name').fill(ELECTION);
      await page.locator('#election_day').fill('2030-09-08');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa valet' }));
      election = pathOf(page).split('/').pop();
      await page.getByRole('heading', { level: 1, name: ELECTION }).waitFor();
      await checkPage(page, 'applications-election');
      await page.getByLabel('Intresseanmälan är öppen på webbplatsen').check();
      await clickAndWait(page, page.locator(`form[action="/admin/val/${election}/installningar"] button`));
      await checkPage(page, 'applications-election-open');

      await page.goto(url('kil', `/admin/val/${election}/struktur`));
      await page.getByRole('heading', { level: 1, name: 'Valets struktur' }).waitFor();
      await page.getByText('Valet har inga valdistrikt ännu.').waitFor();
      await checkPage(page, 'applications-structure');
      await page.getByText('Lägg till valdistrikt').click();
      await page.locator('#d-code').fill('17150001');
      await page.locator('#d-name').fill('Kil centrum');
      await clickAndWait(page, page.locator(`form[action="/admin/val/${election}/distrikt"] button`));
      await page.getByRole('row', { name: /^17150001 Kil centrum/ }).waitFor();
      await checkPage(page, 'applications-structure-district');
      await page.getByText('Lägg till lokal').click();
      await page.locator('#s-kind').selectOption('vallokal');
      await page.locator('#s-name').fill('Kils församlingshem');
      await page.locator('#s-address').fill('Storgatan 1, Kil');
      await page.locator('#s-lat').fill('59,5035');
      await page.locator('#s-lon').fill('13,3190');
      await page.locator('#s-district').selectOption('17150001');
      await clickAndWait(page, page.locator(`form[action="/admin/val/${election}/lokaler"] button`));
      await checkPage(page, 'applications-station');
      await page.goto(url('kil', `/admin/val/${election}/struktur`));
      await page.getByRole('row', { name: /^Kils församlingshem .*17150001 Kil centrum/ }).waitFor();
      await checkPage(page, 'applications-structure-station');
      await page.getByText('Lägg till pass').click();
      await page.locator('#sh-name').fill('Hela dagen');
      await page.locator('#sh-day').fill('2030-09-08');
      await page.locator('#sh-starts').fill('07:30');
      await page.locator('#sh-ends').fill('21:00');
      await clickAndWait(page, page.locator(`form[action="/admin/val/${election}/pass"] button`));
      await page.getByRole('link', { name: /^Hela dagen/ }).waitFor();
      await checkPage(page, 'applications-structure-shift');
    } finally {
      await context.close();
    }
  });

  test('a visitor applies; a bad personnummer is refused first', async () => {
    assert.ok(election, 'the election exists');
    const { context, page } = await newPage(browser);
    try {
      await visit(page, 'kil', '/valarbete', 'public-start', 'Arbeta i valet');
      await clickAndWait(page, page.getByRole('link', { name: `Anmäl intresse att arbeta i ${ELECTION}` }));
      await page.getByRole('heading', { level: 1, name: `Intresseanmälan: ${ELECTION}` }).waitFor();
      await checkPage(page, 'public-apply');
      await fillForm(page, { pnr: '19720901-4418' });
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka intresseanmälan' }));
      // Issue 18 item 1: the platform's summary (focused) links to the field, which carries its
      // own message.
      const summary = page.locator('.ds-error-summary');
      await summary.waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'error-summary', null, { timeout: 5_000 });
      const link = summary.getByRole('link', { name: /^Personnummer: Personnumret är inte giltigt/ });
      assert.equal(await link.getAttribute('href'), '#a-pnr');
      const pnr = page.getByLabel('Personnummer', { exact: true });
      assert.equal(await pnr.getAttribute('aria-invalid'), 'true');
      assert.match(await pnr.getAttribute('aria-describedby'), /a-pnr-error/);
      await page.locator('#a-pnr-error').getByText(/^Personnumret är inte giltigt/).waitFor();
      await checkPage(page, 'public-apply-errors');
      await page.getByLabel('Personnummer', { exact: true }).fill('19720901-4419');
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka intresseanmälan' }));
      await page.getByRole('heading', { level: 1, name: 'Tack för din intresseanmälan' }).waitFor();
      await checkPage(page, 'public-receipt');
    } finally {
      await context.close();
    }
  });

  test('a citizen applies with the test e-ID: name and number are locked', async () => {
    const { context, page } = await newPage(browser);
    try {
      await visit(page, 'kil', '/e-legitimation/test', 'public-eid-test');
      await page.getByLabel(/Astrid Lindqvist/).check();
      await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
      await visit(page, 'kil', `/valarbete/ansok/${election}`, 'public-apply-eid', `Intresseanmälan: ${ELECTION}`);
      assert.equal(await page.getByLabel('Förnamn', { exact: true }).inputValue(), 'Astrid');
      assert.equal(await page.getByLabel('Förnamn', { exact: true }).getAttribute('readonly'), '');
      await fillForm(page, { eid: true });
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka intresseanmälan' }));
      await page.getByRole('heading', { level: 1, name: 'Tack för din intresseanmälan' }).waitFor();
      await checkPage(page, 'public-receipt-eid');
    } finally {
      await context.close();
    }
  });

  test('the office screens the applications and checks the register', async () => {
    const { context, page } = await office('applications-admin-2');
    try {
      await visit(page, 'kil', `/admin/val/${election}/ansokningar`, 'applications-list', 'Ansökningar');
      assert.ok(await page.getByText('Folkbokförd i kommunen').isVisible());
      await clickAndWait(page, page.getByRole('link', { name: 'Inkommen (2)' }));
      await checkPage(page, 'applications-list-received');
      await clickAndWait(page, page.getByRole('link', { name: 'Johansson, Erik' }));
      await page.getByRole('heading', { level: 1, name: 'Erik Johansson' }).waitFor();
      await checkPage(page, 'applications-detail');
      await page.getByLabel('Reserv', { exact: true }).check();
      await clickAndWait(page, page.getByRole('button', { name: 'Spara bedömningen' }));
      await page.getByRole('alert').getByRole('link', { name: /Skriv ett skäl: en anmälan som blir reserv eller avslås behöver ett\./ }).waitFor();
      assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#reason').getAttribute('aria-describedby'), 'reason-hint reason-error');
      await checkPage(page, 'applications-detail-errors');
      await page.getByLabel('Antagen', { exact: true }).check();
      await clickAndWait(page, page.getByRole('button', { name: 'Spara bedömningen' }));
      await checkPage(page, 'applications-detail-accepted');
      await clickAndWait(page, page.getByRole('button', { name: 'Kontrollera folkbokföringen igen' }));
      await page.getByText('Testregister (fiktiva personer)').waitFor();
      await checkPage(page, 'applications-detail-register');
      await page.goto(url('kil', `/admin/val/${election}/ansokningar`));
      await checkPage(page, 'applications-list-after');
      await clickAndWait(page, page.getByRole('link', { name: 'Lindqvist, Astrid' }));
      await page.getByText('Folkbokförd i annan kommun').first().waitFor();
      await checkPage(page, 'applications-detail-elsewhere');
      // A conflict pair: Astrid and Erik must not work in the same station.
      await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Johansson, Erik' });
      await page.getByLabel('Skäl (till exempel samma hushåll)').fill('Samma hushåll');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till' }));
      await page.getByRole('link', { name: 'Erik Johansson' }).waitFor();
      await checkPage(page, 'applications-detail-conflict');
      await clickAndWait(page, page.getByRole('button', { name: 'Ta bort Erik Johansson' }));
      await page.getByText('Inga registrerade.').waitFor();
    } finally {
      await context.close();
    }
  });

  test('the office writes an information page that the public reads', async () => {
    const { context, page } = await office('applications-admin-3');
    try {
      await visit(page, 'kil', '/admin/val/webb', 'public-admin-pages', 'Webbsidor om valarbete');
      await page.getByLabel('Rubrik', { exact: true }).fill(`Arbeta i valet ${RUN}`);
      await page.getByLabel('Kortnamn (i adresser)').fill(SLUG);
      await page.getByLabel('Text', { exact: true }).fill('<h2 onclick="x()">Vem kan söka?</h2><p>Du som har fyllt <strong>18 år</strong>.</p><script>alert(1)</script><ul><li>Svenska</li></ul>');
      await clickAndWait(page, page.getByRole('button', { name: 'Förhandsgranska' }));
      await page.getByRole('heading', { name: 'Förhandsgranskning (inte sparad)' }).waitFor();
      await checkPage(page, 'public-admin-preview');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa sidan' }));
      await page.getByRole('heading', { level: 1, name: `Arbeta i valet ${RUN}` }).waitFor();
      await checkPage(page, 'public-admin-edit');
      const { context: pub, page: p } = await newPage(browser);
      try {
        await visit(p, 'kil', `/valarbete/sida/${SLUG}`, 'public-page', `Arbeta i valet ${RUN}`);
        assert.equal(await p.locator('main script').count(), 0, 'no script survives');
        await visit(p, 'kil', '/valarbete', 'public-start-with-pages', 'Arbeta i valet');
      } finally {
        await pub.close();
      }
    } finally {
      await context.close();
    }
  });
});
