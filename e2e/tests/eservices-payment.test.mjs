// E-services, fees and payment: Astrid applies for a building permit in Karlstad (a fee), the
// case is registered at once and waits for payment, Mina ärenden shows "Väntar på betalning"
// with a link to pay, and she pays with the demo's test provider ("Testbetalning — inga pengar
// dras"). Then the case page in Mina ärenden offers the PDF/A receipt, a draft she leaves is
// listed there, Karlstad's administrator pauses that service with a broadcast (the catalogue and
// the service's page say why and until when) and ends it, sets how long drafts live, the
// operator sends a broadcast to one municipality, and Astrid asks for störningsinformation.
// Every page is checked with axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, login, newPage, pathOf, staffPage, url } from '../lib.mjs';

const ASTRID = '19850315-2384';
const PDF = { name: 'ritning.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% ritning\n') };

async function next(page) {
  await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
}

describe('e-service fees and payment', () => {
  let browser;
  let page;
  let receipt;
  let number;
  before(async () => {
    browser = await launch();
    ({ page } = await newPage(browser));
  });
  after(async () => {
    await browser?.close();
  });

  test('a building permit is registered at once and waits for payment', async () => {
    await page.goto(url('karlstad', '/e-legitimation/test?next=%2Fe-tjanster%2Fbygglov'));
    await page.getByLabel('Eller skriv ett personnummer').fill(ASTRID);
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await page.waitForURL(url('karlstad', '/e-tjanster/bygglov'));
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }));
    if (/\/steg\/0$/.test(pathOf(page))) {
      // The address comes from the population register; the rest is filled in.
      const address = await page.getByLabel('Postadress', { exact: true }).inputValue();
      assert.match(address, /Drottninggatan 12/, address);
      await page.getByLabel('Privatperson').check();
      await page.getByLabel('E-postadress', { exact: true }).fill('astrid.lindqvist@example.se');
      await next(page);
      await page.getByLabel('Fastighetsbeteckning').fill('Karlstad Sandbäcken 1:24');
      await page.getByRole('group', { name: 'Äger du fastigheten?' }).getByLabel('Ja').check();
      await next(page);
      await page.getByLabel('Åtgärd', { exact: true }).selectOption({ label: 'Ändra fasad, färg eller fönster' });
      await page.getByLabel('Beskriv vad du vill göra').fill('Måla om fasaden i samma kulör.');
      await next(page);
      await page.getByLabel('Situationsplan').setInputFiles(PDF);
      await page.getByLabel('Fasad- och planritningar').setInputFiles(PDF);
      await next(page);
      await page.getByLabel(/^Jag intygar/).check();
      await next(page);
    }
    await page.getByRole('heading', { level: 1, name: 'Granska och skicka' }).waitFor();
    await page.getByText('väntar sedan på betalning').waitFor();
    await clickAndWait(page, page.getByRole('button', { name: 'Signera och skicka in' }));
    assert.match(pathOf(page), /^\/e-tjanster\/kvitton\/[0-9a-f-]+$/);
    receipt = pathOf(page);
    number = (await page.locator('dt:has-text("Diarienummer") + dd').textContent()).trim();
    await page.getByText('Väntar på betalning').first().waitFor();
    await page.getByText('Testbetalning — inga pengar dras').waitFor();
    await checkPage(page, 'es-pay-receipt-due');
  });

  test('Mina ärenden shows the flag with a link to pay', async () => {
    // The read model follows the case's events; a moment may pass.
    let shown = false;
    for (let i = 0; i < 20 && !shown; i += 1) {
      await page.goto(url('karlstad', '/mina-arenden'));
      const row = page.locator('tr', { hasText: number });
      shown = (await row.count()) > 0 && (await row.getByText('Väntar på betalning', { exact: true }).count()) > 0;
      if (!shown) await page.waitForTimeout(500);
    }
    assert.ok(shown, `the flag on ${number}`);
    await checkPage(page, 'es-pay-my-cases');
    await clickAndWait(page, page.getByRole('link', { name: `Betala – ${number}` }));
    assert.equal(pathOf(page), receipt);
  });

  test('she pays with the test provider and the flag is gone', async () => {
    await clickAndWait(page, page.getByRole('button', { name: /^Betala \d+ kr$/ }));
    assert.match(pathOf(page), /^\/e-tjanster\/testbetalning\/test-[0-9a-f]+$/);
    await page.getByRole('heading', { level: 1, name: 'Testbetalning' }).waitFor();
    await checkPage(page, 'es-pay-test-provider');
    await clickAndWait(page, page.getByRole('button', { name: 'Betala (test)' }));
    assert.equal(pathOf(page), receipt);
    await page.getByText('Betalningen är klar').waitFor();
    await checkPage(page, 'es-pay-receipt-paid');
    let gone = false;
    for (let i = 0; i < 20 && !gone; i += 1) {
      await page.goto(url('karlstad', '/mina-arenden'));
      gone = (await page.locator('tr', { hasText: number }).getByText('Väntar på betalning', { exact: true }).count()) === 0;
      if (!gone) await page.waitForTimeout(500);
    }
    assert.ok(gone, 'the flag is lifted once paid');
  });

  test('the case page in Mina ärenden offers the receipt of the application', async () => {
    await page.goto(url('karlstad', '/mina-arenden'));
    await clickAndWait(page, page.locator('tr', { hasText: number }).getByRole('link').first());
    const link = page.getByRole('link', { name: 'Kvitto på din ansökan (PDF)' });
    await link.waitFor();
    await checkPage(page, 'es-my-case-receipt');
    const res = await fetchAs(page, new URL(await link.getAttribute('href'), page.url()).href);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.ok((await res.body()).subarray(0, 4).equals(Buffer.from('%PDF')), 'a PDF');
  });

  test('a draft she leaves is listed in Mina ärenden with the way back', async () => {
    await page.goto(url('karlstad', '/e-tjanster/nybyggnadskarta'));
    await clickAndWait(page, page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }));
    assert.match(pathOf(page), /^\/e-tjanster\/nybyggnadskarta\/[0-9a-f-]+\/steg\/\d+$/);
    await page.goto(url('karlstad', '/mina-arenden'));
    await page.getByRole('heading', { level: 2, name: 'Påbörjade e-tjänster' }).waitFor();
    await checkPage(page, 'es-my-drafts');
    await clickAndWait(page, page.getByRole('link', { name: /^Fortsätt\W+Beställ nybyggnadskarta$/ }));
    assert.equal(pathOf(page), '/e-tjanster/nybyggnadskarta');
  });

  test('Karlstad pauses the service with a broadcast, citizens see why and until when, and it is ended', async () => {
    const { context, page: admin } = await staffPage(browser, 'karlstad', 'admin@karlstad.se', 'es-bc-staff-admin');
    try {
      await admin.goto(url('karlstad', '/admin/e-tjanster/driftmeddelanden'));
      await admin.getByRole('heading', { level: 1, name: 'Driftmeddelanden' }).waitFor();
      await checkPage(admin, 'es-bc-local');
      // No text: named at its field.
      await admin.getByLabel('Störning', { exact: true }).check();
      await admin.getByRole('group', { name: 'Pausa e-tjänster' }).getByLabel('Beställ nybyggnadskarta').check();
      await clickAndWait(admin, admin.getByRole('button', { name: 'Publicera meddelandet' }));
      // The summary links to the field, which carries the message and is marked invalid.
      const summaryLink = admin.getByRole('alert').getByRole('link', { name: /Skriv meddelandet på svenska\./ });
      assert.equal(await summaryLink.getAttribute('href'), '#es-bc-text-sv');
      const text = admin.getByLabel('Meddelande på svenska');
      assert.equal(await text.getAttribute('aria-invalid'), 'true');
      assert.match(await text.getAttribute('aria-describedby'), /es-bc-text-sv-error/);
      assert.equal(await admin.getByRole('group', { name: 'Pausa e-tjänster' }).getByLabel('Beställ nybyggnadskarta').isChecked(), true, 'the choice is kept');
      await checkPage(admin, 'es-bc-local-errors');
      await admin.getByLabel('Meddelande på svenska').fill('Kartsystemet byts ut. Beställ nybyggnadskarta igen i eftermiddag.');
      await clickAndWait(admin, admin.getByRole('button', { name: 'Publicera meddelandet' }));
      await admin.getByText('Driftmeddelandet är sparat.').waitFor();
      await admin.getByRole('cell', { name: /Kartsystemet byts ut/ }).first().waitFor();
      await checkPage(admin, 'es-bc-local-saved');

      await page.goto(url('karlstad', '/e-tjanster'));
      await page.getByRole('region', { name: 'Driftmeddelande' }).getByText(/Kartsystemet byts ut/).waitFor();
      await checkPage(page, 'es-bc-catalogue');
      await page.goto(url('karlstad', '/e-tjanster/nybyggnadskarta'));
      await page.getByText(/^Gäller till /).first().waitFor();
      await page.getByText('E-tjänsten är tillfälligt stängd.', { exact: false }).waitFor();
      assert.equal(await page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }).count(), 0);
      await checkPage(page, 'es-bc-paused-service');

      await clickAndWait(admin, admin.getByRole('row', { name: /Kartsystemet byts ut/ }).getByRole('button', { name: 'Avsluta nu' }));
      await page.goto(url('karlstad', '/e-tjanster/nybyggnadskarta'));
      await page.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }).waitFor();

      // How long drafts live, and the deletion log.
      await admin.goto(url('karlstad', '/admin/e-tjanster/gallring'));
      await admin.getByRole('heading', { level: 1, name: 'Gallring av utkast' }).waitFor();
      await checkPage(admin, 'es-retention');
      const days = admin.getByLabel('Beställ nybyggnadskarta', { exact: true });
      await days.fill('ett år');
      await clickAndWait(admin, admin.getByRole('button', { name: /^Spara\W+Beställ nybyggnadskarta$/ }));
      const daysLink = admin.getByRole('alert').getByRole('link', { name: /Skriv antalet dagar som ett heltal från 1 till 3650\./ });
      assert.equal(await daysLink.getAttribute('href'), '#es-ret-nybyggnadskarta');
      assert.equal(await admin.getByLabel('Beställ nybyggnadskarta', { exact: true }).getAttribute('aria-invalid'), 'true');
      await checkPage(admin, 'es-retention-errors');
      await admin.getByLabel('Beställ nybyggnadskarta', { exact: true }).fill('60');
      await clickAndWait(admin, admin.getByRole('button', { name: /^Spara\W+Beställ nybyggnadskarta$/ }));
      await admin.getByText('Gallringstiden är sparad.').waitFor();
      assert.equal(await admin.getByLabel('Beställ nybyggnadskarta', { exact: true }).inputValue(), '60');
    } finally {
      await context.close();
    }
  });

  test('the operator sends a broadcast to one municipality', async () => {
    const { context, page: op } = await newPage(browser);
    try {
      await login(op, '', 'drift@radhus.localhost');
      await op.goto(url('', '/admin/e-tjanster/delade/driftmeddelanden'));
      await op.getByRole('heading', { level: 1, name: 'Driftmeddelanden' }).waitFor();
      await checkPage(op, 'es-bc-platform');
      // Tomorrow, in Torsby only; no service paused.
      const tomorrow = new Date(Date.now() + 26 * 3600 * 1000);
      const later = new Date(Date.now() + 28 * 3600 * 1000);
      const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
      await op.getByLabel('Information', { exact: true }).check();
      await op.getByLabel('Gäller från', { exact: true }).fill(local(tomorrow));
      await op.getByLabel('Gäller till', { exact: true }).fill(local(later));
      await op.getByLabel('Meddelande på svenska').fill('Planerat underhåll av plattformen i natt.');
      await op.getByRole('group', { name: 'Kommuner' }).getByLabel('Torsby', { exact: true }).check();
      await clickAndWait(op, op.getByRole('button', { name: 'Publicera meddelandet' }));
      await op.getByText('Driftmeddelandet är sparat.').waitFor();
      await op.getByRole('cell', { name: /Planerat underhåll av plattformen/ }).first().waitFor();
      await checkPage(op, 'es-bc-platform-saved');
    } finally {
      await context.close();
    }
  });

  test('Astrid asks for störningsinformation on the catalogue', async () => {
    await page.goto(url('karlstad', '/e-tjanster'));
    await clickAndWait(page, page.getByRole('button', { name: 'Få störningsinformation' }));
    await page.getByText('Du får störningsinformation från kommunen.').waitFor();
    await checkPage(page, 'es-bc-subscribed');
    await clickAndWait(page, page.getByRole('button', { name: 'Sluta få störningsinformation' }));
    await page.getByText('Du får inte störningsinformation från kommunen.').waitFor();
  });
});
