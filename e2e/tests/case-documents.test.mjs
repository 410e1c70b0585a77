// The official memo (tjänsteskrivelse) written on a record and generated as PDF/A, a watch on a
// single record, the municipality's document template page, and projects grouping cases.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, fetchAs, launch, pathOf, staffPage as staffPageOf, url, visit as visitPage } from '../lib.mjs';

const ADMIN = 'admin@karlstad.se';
const CASEWORKER = 'omar.said@karlstad.se';

describe('records, memos and projects in Karlstad', () => {
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
  const get = fetchAs;

  test('the caseworker writes an official memo, gets it as PDF/A, and watches the record', async () => {
    const title = `Svar till sökande ${stamp}`;
    const { context, page } = await staffPage(CASEWORKER, 'memo-admin-caseworker');
    try {
      await visit(page, '/admin/arenden?vy=mina&status=open', 'memo-cases', 'Ärenden');
      const first = page.locator('table tbody tr td:first-child a').first();
      const caseHref = await first.getAttribute('href');
      await clickAndWait(page, first);
      await page.getByText('Ny handling', { exact: true }).click();
      await page.getByLabel('Typ av handling').selectOption({ label: 'Utgående' });
      await page.locator('#r-title').fill(title);
      await page.getByLabel('Avsändare/mottagare', { exact: true }).fill('Fastighetsägaren AB');
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till handlingen' }));
      assert.equal(path(page), caseHref);
      await clickAndWait(page, page.locator('table tbody tr', { hasText: title }).locator('td:first-child a'));
      const recordPath = path(page);
      assert.match(recordPath, /^\/admin\/handlingar\/[0-9a-f-]{36}$/);

      // The memo form; the proposal is required (the browser says so first, the server too).
      await page.getByRole('heading', { level: 2, name: 'Tjänsteskrivelse' }).waitFor();
      await page.getByText('Skriv tjänsteskrivelse', { exact: true }).click();
      await checkPage(page, 'memo-form');
      await page.getByLabel('Förslag till beslut').fill('Förvaltningen föreslår att ansökan beviljas.');
      await page.getByLabel('Sammanfattning').fill('Ansökan är komplett.');
      await page.getByLabel('Beskrivning av ärendet').fill('Ansökan kom in i november.\n\nGrannar har hörts.');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa tjänsteskrivelse (PDF/A)' }));
      assert.equal(path(page), recordPath);
      const memoRow = page.locator('table tbody tr', { hasText: 'Tjänsteskrivelse' });
      await memoRow.getByText('Huvuddokument').waitFor();
      const link = memoRow.locator('a[href^="/admin/dokument/"]');
      assert.match(await link.textContent(), /^tjansteskrivelse-.*\.pdf$/);
      await page.getByText('Skriv en ny version av tjänsteskrivelsen', { exact: true }).click();
      assert.equal(await page.getByLabel('Förslag till beslut').inputValue(), 'Förvaltningen föreslår att ansökan beviljas.', 'the texts stay for a new version');
      await checkPage(page, 'memo-generated');
      const pdf = await get(page, url('karlstad', await link.getAttribute('href')));
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      const bytes = await pdf.body();
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
      assert.ok(bytes.includes('pdfaid:part'), 'PDF/A identification in the XMP metadata');

      // A watch on this record only.
      const due = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      await page.getByText('Ny bevakning', { exact: true }).click();
      const form = page.locator(`form[action="${recordPath}/bevakningar"]`);
      await form.getByLabel('Datum', { exact: true }).fill(due);
      await form.getByLabel('Kommentar').fill(`Svar väntas ${stamp}`);
      await clickAndWait(page, form.getByRole('button', { name: 'Lägg till bevakning' }));
      assert.equal(path(page), recordPath);
      await page.getByText(`${due}: Svar väntas ${stamp}`, { exact: true }).waitFor();
      await checkPage(page, 'record-watch-added');
      await visit(page, '/admin/bevakningar', 'record-watch-list', 'Bevakningar');
      const row = page.locator('table tbody tr', { hasText: `Svar väntas ${stamp}` });
      assert.equal(await row.locator('a').first().getAttribute('href'), recordPath, 'the watch leads to the record');
    } finally {
      await context.close();
    }
  });

  test('the administrator sees the memo template, and a broken template is refused', async () => {
    const { context, page } = await staffPage(ADMIN, 'template-admin');
    try {
      await visit(page, '/admin/diarier', 'registries-with-templates', 'Diarier och ärendetyper');
      await clickAndWait(page, page.getByRole('link', { name: 'Dokumentmall: tjänsteskrivelse' }));
      await page.getByRole('heading', { level: 1, name: 'Dokumentmall: tjänsteskrivelse' }).waitFor();
      await page.getByText('Kommunen använder Rådhus standardmall.').waitFor();
      await checkPage(page, 'memo-template');
      await page.getByLabel('Mallens källtext (Typst)').fill('= Tjänsteskrivelse\n#let x = \n');
      await clickAndWait(page, page.getByRole('button', { name: 'Prova och spara mallen' }));
      await page.getByRole('alert').getByText(/sparades inte/).waitFor();
      await checkPage(page, 'memo-template-error');
      await visit(page, '/admin/diarier/mallar', 'memo-template-unchanged', 'Dokumentmall: tjänsteskrivelse');
      await page.getByText('Kommunen använder Rådhus standardmall.').waitFor();
    } finally {
      await context.close();
    }
  });

  test('projects: the demo project, a new one, and a case put into it', async () => {
    const name = `Ny skola i Kronoparken ${stamp}`;
    const { context, page } = await staffPage(ADMIN, 'admin-with-projects');
    try {
      await clickAndWait(page, page.getByRole('main').locator('a[href="/admin/projekt"]'));
      await page.getByRole('heading', { level: 1, name: 'Projekt' }).waitFor();
      await checkPage(page, 'projects');
      await clickAndWait(page, page.getByRole('link', { name: 'Detaljplan Norra Våxnäs' }));
      await page.getByRole('heading', { level: 1, name: 'Detaljplan Norra Våxnäs' }).waitFor();
      assert.ok((await page.locator('table tbody tr').count()) >= 1, 'the demo project has cases');
      await checkPage(page, 'project');

      await visit(page, '/admin/projekt', 'projects-again', 'Projekt');
      await page.getByLabel('Namn').fill(name);
      await page.getByLabel('Beskrivning').fill('Alla ärenden om den nya skolan.');
      await clickAndWait(page, page.getByRole('button', { name: 'Skapa projekt' }));
      assert.match(path(page), /^\/admin\/projekt\/[0-9a-f-]{36}$/);
      const projectPath = path(page);
      await page.getByText('Inga ärenden som du får se.').waitFor();
      await checkPage(page, 'project-new');

      await visit(page, '/admin/arenden?status=open', 'projects-cases', 'Ärenden');
      const first = page.locator('table tbody tr td:first-child a').first();
      const caseHref = await first.getAttribute('href');
      await clickAndWait(page, first);
      await page.getByLabel('Projekt (frivilligt)', { exact: true }).selectOption({ label: name });
      await clickAndWait(page, page.getByRole('button', { name: 'Spara projekt' }));
      assert.equal(path(page), caseHref);
      await page.getByRole('main').getByRole('link', { name }).waitFor();
      await page.locator('ol.timeline li', { hasText: `Ingår i projektet ${name}` }).waitFor();
      await checkPage(page, 'case-in-project');
      await visit(page, projectPath, 'project-with-case');
      assert.equal(await page.locator(`table tbody tr a[href="${caseHref}"]`).count(), 1, 'the case is listed in the project');
    } finally {
      await context.close();
    }
  });
});
