// eBlomlåda (digital maturity): Karlstad's digitalisation lead and a respondent fill in this
// year's draft, the lead submits, the results with the flower box, the action plan and its
// Excel and PDF downloads; the public page (also without JavaScript); the operators'
// catalogue page with a bad import.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOTS, checkPage, clickAndWait, fetchAs, launch, login, newPage, staffPage as staffPageOf, url } from '../lib.mjs';

const LEAD = 'aisha.noor@karlstad.se';
const RESPONDENT = 'linnea.dahl@karlstad.se';
const YEAR = new Date().getFullYear();

describe('eBlomlåda in Karlstad', () => {
  let browser;
  let assessment = '';

  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  const staffPage = async (email, name) => {
    const { context, page } = await newPage(browser);
    await login(page, 'karlstad', email);
    assert.equal(new URL(page.url()).pathname, '/admin');
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /^eBlomlåda – digital mognad/ }));
    await page.getByRole('heading', { level: 1, name: 'eBlomlåda – digital mognad' }).waitFor();
    await checkPage(page, name);
    return { context, page };
  };

  /** Answers every indicator of the open area page with `value` (1–3) and saves. */
  const answerArea = async (page, value, action) => {
    const radios = page.locator(`input[type="radio"][value="${value}"]`);
    const n = await radios.count();
    assert.ok(n > 0, 'the area has indicators');
    for (let i = 0; i < n; i += 1) await radios.nth(i).check();
    if (action) await page.getByLabel('Planerad åtgärd').first().fill(action);
    await clickAndWait(page, page.getByRole('button', { name: 'Spara området' }));
  };

  test('the lead sees the draft, cannot submit it unanswered, answers an area', async () => {
    const { context, page } = await staffPage(LEAD, 'maturity-list');
    try {
      await clickAndWait(page, page.getByRole('link', { name: String(YEAR), exact: true }));
      assessment = new URL(page.url()).pathname.split('/').pop();
      await page.getByRole('heading', { level: 1, name: `Självvärdering ${YEAR}` }).waitFor();
      await checkPage(page, 'maturity-assessment');

      // Not asked to confirm what would be refused: the unanswered indicators instead.
      await clickAndWait(page, page.getByRole('link', { name: 'Lämna in självvärderingen' }));
      await page.getByText('11 indikatorer är inte besvarade').waitFor();
      assert.ok(await page.getByRole('link', { name: 'EB17-53' }).isVisible(), 'the unanswered indicators are listed with links');
      await checkPage(page, 'maturity-submit-refused');

      await clickAndWait(page, page.getByRole('link', { name: 'Allmänheten', exact: true }));
      await page.getByRole('heading', { level: 1, name: 'Allmänheten' }).waitFor();
      await checkPage(page, 'maturity-area');
      // Radios work from the keyboard: the arrow keys move the choice within an indicator.
      const first = page.locator('input[type="radio"]').first();
      await first.focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowDown');
      assert.ok(await page.locator('input[type="radio"]').nth(1).isChecked(), 'arrow key chose "delvis"');
      // A due date in the past is refused at its indicator: the summary links the field, which
      // carries the message; what was chosen stays.
      const due = page.locator('input[type="date"]').first();
      const dueId = await due.getAttribute('id');
      await due.fill(`${YEAR - 1}-01-15`);
      await clickAndWait(page, page.getByRole('button', { name: 'Spara området' }));
      const link = page.getByRole('alert').locator(`a[href="#${dueId}"]`);
      assert.match(await link.textContent(), /^Indikator EB17-\d+ Klart senast: Datumet har redan passerat/);
      assert.equal(await page.locator(`#${dueId}`).getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator(`#${dueId}`).getAttribute('aria-describedby'), new RegExp(`${dueId}-error`));
      assert.ok(await page.locator('input[type="radio"]').nth(1).isChecked(), 'the answer is kept');
      await checkPage(page, 'maturity-area-refused');
      await page.locator(`#${dueId}`).fill('');
      await answerArea(page, '2', 'Samla kommunens e-tjänster på en plats');
      assert.equal(new URL(page.url()).pathname, `/admin/eblomlada/${assessment}`);
    } finally {
      await context.close();
    }
  });

  test('the respondent answers the area handed to her, and only that', async () => {
    const { context, page } = await staffPage(RESPONDENT, 'maturity-respondent');
    try {
      await page.goto(url('karlstad', `/admin/eblomlada/${assessment}`));
      assert.equal(await page.getByRole('link', { name: 'Lämna in självvärderingen' }).count(), 0, 'only the lead submits');
      await clickAndWait(page, page.getByRole('link', { name: 'Barn & elever', exact: true }));
      await answerArea(page, '3');
      await page.goto(url('karlstad', `/admin/eblomlada/${assessment}/omrade/aldre`));
      await page.getByText('Det här området besvaras av någon annan.').waitFor();
      assert.ok(await page.locator('input[type="radio"]').first().isDisabled(), 'the fieldset is disabled');
    } finally {
      await context.close();
    }
  });

  test('the lead submits; results, flower box, action plan, Excel and PDF', async () => {
    const { context, page } = await staffPage(LEAD, 'maturity-list-2');
    try {
      await page.goto(url('karlstad', `/admin/eblomlada/${assessment}`));
      // Publishing asks first on a page of its own; "Tillbaka" leaves everything as it was.
      await clickAndWait(page, page.getByRole('link', { name: 'Publicera kommunens svar' }));
      await page.getByRole('heading', { level: 1, name: `Publicera kommunens svar för ${YEAR}?` }).waitFor();
      await page.getByRole('heading', { name: 'Det här kan inte ångras' }).waitFor();
      await checkPage(page, 'maturity-publish-confirm');
      await clickAndWait(page, page.getByRole('link', { name: /^Tillbaka till självvärderingen/ }));
      await page.getByText('Nej, bara jämförelsen (utan kommunens namn) använder svaren').waitFor();

      // Submitting asks first: the total, what happens, what cannot be undone.
      await clickAndWait(page, page.getByRole('link', { name: 'Lämna in självvärderingen' }));
      await page.getByRole('heading', { level: 1, name: `Lämna in självvärderingen ${YEAR}?` }).waitFor();
      await page.getByText(/Självvärderingen lämnas in med \d+ av 264/).waitFor();
      await page.getByRole('heading', { name: 'Det här kan inte ångras' }).waitFor();
      await checkPage(page, 'maturity-submit-confirm');
      await clickAndWait(page, page.getByRole('button', { name: 'Ja, lämna in självvärderingen' }));
      assert.equal(new URL(page.url()).search, '?klart=inlamnad');
      await page.getByRole('status').filter({ hasText: 'Självvärderingen är inlämnad.' }).waitFor();
      await page.getByText('Inlämnad', { exact: true }).first().waitFor();
      await checkPage(page, 'maturity-submitted');
      await clickAndWait(page, page.getByRole('link', { name: 'Resultat', exact: true }));
      await page.getByRole('heading', { level: 1, name: `Resultat ${YEAR}` }).waitFor();
      const flower = page.locator('svg[role="img"]');
      assert.match(await flower.locator('title').first().textContent(), /Blomlådan: Karlstad/);
      assert.match(await flower.locator('desc').textContent(), /Totalt \d+ av 264 poäng/);
      await page.getByRole('table', { name: 'Poäng per område' }).waitFor();
      await checkPage(page, 'maturity-results');

      await clickAndWait(page, page.getByRole('link', { name: 'Åtgärdsplan' }).first());
      await page.getByText('Samla kommunens e-tjänster på en plats').first().waitFor();
      await checkPage(page, 'maturity-actions');
      const xlsx = await fetchAs(page, url('karlstad', `/admin/eblomlada/${assessment}/atgardsplan.xlsx`));
      assert.equal(xlsx.status(), 200);
      assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
      const pdf = await fetchAs(page, url('karlstad', `/admin/eblomlada/${assessment}/rapport.pdf`));
      assert.equal(pdf.status(), 200);
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
      assert.equal(await page.getByRole('button', { name: /^Gör till ärende/ }).count(), 0, 'the lead may not register cases');

      // The administrator (lead and registrar too) makes the action a case.
      const admin = await staffPageOf(browser, 'karlstad', 'admin@karlstad.se', 'maturity-admin');
      try {
        await admin.page.goto(url('karlstad', `/admin/eblomlada/${assessment}/atgardsplan`));
        const row = admin.page.locator('table tbody tr', { hasText: 'Samla kommunens e-tjänster på en plats' }).first();
        await row.getByRole('combobox').selectOption({ index: 0 });
        await checkPage(admin.page, 'maturity-actions-to-case');
        await clickAndWait(admin.page, row.getByRole('button', { name: /^Gör till ärende/ }));
        const link = admin.page.locator('table tbody tr', { hasText: 'Samla kommunens e-tjänster på en plats' }).first().locator('a[href^="/admin/arenden/"]');
        assert.match(await link.textContent(), /^(KS|BN) \d{4}\/\d+$/);
        await checkPage(admin.page, 'maturity-actions-with-case');
        await clickAndWait(admin.page, link);
        await admin.page.getByRole('heading', { level: 1, name: /Samla kommunens e-tjänster på en plats/ }).waitFor();
      } finally {
        await admin.context.close();
      }

      // 2018, compared with the 12 municipalities that published; its top is the documentation's screenshot.
      await page.goto(url('karlstad', '/admin/eblomlada'));
      await clickAndWait(page, page.getByRole('link', { name: 'Resultat 2018' }));
      await page.getByText('12 kommuner har lämnat in och publicerat sina svar för samma år och version').waitFor();
      assert.match(await page.getByText(/^Plats \d+ \/ 12$/).textContent(), /Plats/);
      await checkPage(page, 'maturity-results-2018');
      const table = await page.getByRole('table', { name: 'Poäng per område' }).boundingBox();
      await page.screenshot({ path: join(SCREENSHOTS, 'maturity-results-top.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(table.y + table.height + 24) } });
    } finally {
      await context.close();
    }
  });

  test('the public page shows the published results and works without JavaScript', async () => {
    const { context, page } = await newPage(browser);
    try {
      const res = await page.goto(url('karlstad', '/eblomlada'));
      assert.equal(res.status(), 200);
      await page.getByRole('heading', { level: 1, name: /Kommunens eBlomlåda/ }).waitFor();
      await page.getByText(/kommuner har lämnat in och publicerat sina svar för samma år och version/).first().waitFor();
      await checkPage(page, 'maturity-public');
    } finally {
      await context.close();
    }
    const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE' });
    try {
      const p = await noJs.newPage();
      await p.goto(url('karlstad', '/eblomlada?ar=2017'));
      assert.ok(await p.locator('svg[role="img"]').isVisible(), 'the flower box is drawn on the server');
      assert.equal(await p.getByRole('link', { name: '2016' }).count(), 1);
    } finally {
      await noJs.close();
    }
  });

  test("the operators' catalogue page refuses a bad CSV and lists its lines", async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, '', 'drift@radhus.localhost');
      await page.getByRole('heading', { level: 1, name: 'Kommuner' }).waitFor();
      await page.waitForLoadState('networkidle');
      await page.goto(url('', '/admin/eblomlada/kataloger'));
      await page.getByRole('heading', { level: 1, name: 'eBlomlåda: indikatorversioner' }).waitFor();
      await checkPage(page, 'maturity-catalogues');
      // Importing without a version or a name: the summary links to the fields, which say what to write.
      await clickAndWait(page, page.getByRole('button', { name: 'Importera' }));
      const summary = page.locator('.ds-error-summary');
      await summary.waitFor();
      assert.equal(await summary.getByRole('link', { name: /^Version: Skriv versionen/ }).getAttribute('href'), '#version');
      assert.equal(await summary.getByRole('link', { name: /^Namn: Skriv indikatorversionens namn/ }).getAttribute('href'), '#name');
      const version = page.getByLabel('Version', { exact: true });
      assert.equal(await version.getAttribute('aria-invalid'), 'true');
      assert.match(await version.getAttribute('aria-describedby'), /\bversion-error\b/);
      assert.equal(await page.locator('#map-csv').getAttribute('aria-invalid'), null, 'the mapping form is not marked');
      await checkPage(page, 'maturity-catalogue-empty');
      await page.getByLabel('Version', { exact: true }).fill('2019');
      await page.getByLabel('Namn', { exact: true }).fill('eBlomlåda 2019');
      await page.getByLabel('Indikatorer (CSV)').fill('id,area_key,area,level,indicator\nX1,aldre,Äldre,blomma,Ett\nX1,aldre,Äldre,blomma,Två\nX2,mars,Mars,blomma,Tre\n');
      await clickAndWait(page, page.getByRole('button', { name: 'Importera' }));
      await page.getByText('Rad 3: id X1 finns redan').waitFor();
      await page.getByText('Rad 4: okänt område mars').waitFor();
      await checkPage(page, 'maturity-catalogue-refused');
    } finally {
      await context.close();
    }
  });
});
