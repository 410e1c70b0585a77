// The official memo as a step of its own (issue 18 items 10-12): the caseworker starts it from
// the case with *Skriv tjänsteskrivelse*, writes it, establishes it through a confirmation page,
// sends it for approval; the manager approves; the record is then frozen (no upload form, the
// notice and *Öppna för ändring*). The step indicator says where the memo stands at each step.
// Every page is checked with axe (WCAG 2.1 AA) and at 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, pathOf, staffPage as staffPageOf, visit as visitPage } from '../lib.mjs';

const CASEWORKER = 'omar.said@karlstad.se';
const MANAGER = 'eva.lind@karlstad.se';

describe('the official memo in Karlstad', () => {
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

  /** The text of the step marked as the current one. */
  const currentStep = async (page) => (await page.locator('.memo-steps li[aria-current="step"] strong').textContent()).trim();

  test('write → establish (confirmed) → approval → approved and frozen', async () => {
    const omar = await staffPage(CASEWORKER, 'memo-admin-caseworker');
    const eva = await staffPage(MANAGER, 'memo-admin-manager');
    try {
      const page = omar.page;
      await visit(page, '/admin/arenden?vy=mina&status=open', 'memo-cases', 'Ärenden');
      const link = page.locator('table tbody tr td:first-child a').first();
      const caseHref = await link.getAttribute('href');
      await clickAndWait(page, link);
      assert.equal(pathOf(page), caseHref);

      // The case-level action, not hidden below a file upload.
      await clickAndWait(page, page.getByRole('link', { name: 'Skriv tjänsteskrivelse', exact: true }));
      assert.equal(pathOf(page), `${caseHref}/tjansteskrivelse`);
      await page.getByRole('heading', { level: 1, name: 'Skriv tjänsteskrivelse' }).waitFor();
      assert.equal(await currentStep(page), 'Skriv och skapa PDF');
      assert.match(await page.getByLabel('Rubrik').inputValue(), /^Tjänsteskrivelse – /);
      await checkPage(page, 'memo-start');

      // Without a recipient the form comes back with the message.
      await clickAndWait(page, page.getByRole('button', { name: 'Fortsätt till texterna' }));
      await page.getByRole('alert').waitFor();
      await checkPage(page, 'memo-start-error');
      await page.getByLabel('Mottagare').fill('Byggnadsnämnden');
      // Not "bygglov": the first open case may be of another kind, and the public diary test
      // expects every hit for "bygglovet" (record titles too) to be about a building permit.
      await page.getByLabel('Rubrik').fill(`Tjänsteskrivelse om ärendet ${stamp}`);
      await clickAndWait(page, page.getByRole('button', { name: 'Fortsätt till texterna' }));
      assert.match(pathOf(page), /^\/admin\/handlingar\/[0-9a-f-]{36}$/);
      const recordPath = pathOf(page);
      assert.equal(await currentStep(page), 'Skriv och skapa PDF');
      await checkPage(page, 'memo-record-write');

      // Step one: the texts, then the PDF.
      await page.getByLabel('Förslag till beslut').fill('Byggnadsnämnden beviljar ansökan.');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa tjänsteskrivelse (PDF/A)' }));
      assert.equal(pathOf(page), recordPath);
      await page.getByText('Senaste versionen:').waitFor();
      await clickAndWait(page, page.getByRole('button', { name: 'Registrera', exact: true }));
      assert.equal(await currentStep(page), 'Fastställ');
      await checkPage(page, 'memo-record-written');

      // Establishing: a confirmation page, not a script dialog.
      await clickAndWait(page, page.getByRole('link', { name: 'Fastställ', exact: true }));
      assert.equal(pathOf(page), `${recordPath}/faststall`);
      await page.getByRole('heading', { level: 1, name: 'Fastställa handlingen?' }).waitFor();
      await checkPage(page, 'memo-establish-confirm');
      await clickAndWait(page, page.getByRole('button', { name: 'Ja, fastställ handlingen' }));
      assert.equal(pathOf(page), recordPath);
      assert.equal(await currentStep(page), 'Skicka för godkännande');
      assert.equal(await page.locator(`form[action^="${recordPath}/dokument"]`).count(), 0, 'no upload on an established record');
      await page.getByText('Handlingen är fastställd.').waitFor();
      await checkPage(page, 'memo-record-established');

      const approver = page.getByLabel('Godkännare 1');
      const evaOption = (await approver.locator('option').allTextContents()).find((o) => o.startsWith('Eva Lind'));
      assert.ok(evaOption, 'Eva Lind can be chosen as approver');
      await approver.selectOption({ label: evaOption });
      await clickAndWait(page, page.getByRole('button', { name: 'Skicka för godkännande' }));
      await page.getByText('vänta på godkännandet', { exact: false }).waitFor();
      await checkPage(page, 'memo-record-sent');

      // The manager approves.
      const p2 = eva.page;
      await visit(p2, recordPath, 'memo-record-to-approve');
      await clickAndWait(p2, p2.getByRole('button', { name: 'Godkänn', exact: true }));
      await p2.locator('dl.facts').getByText('Godkänd', { exact: true }).waitFor();

      // Approved means frozen: the caseworker sees the notice and what comes next.
      await visit(page, recordPath, 'memo-record-approved');
      assert.equal(await currentStep(page), 'Expediera');
      await page.getByText('Handlingen är godkänd.').waitFor();
      assert.equal(await page.locator(`form[action^="${recordPath}/dokument"]`).count(), 0, 'no upload on an approved record');
      await page.getByText('Öppna för ändring', { exact: true }).first().waitFor();
    } finally {
      await omar.context.close();
      await eva.context.close();
    }
  });
});
