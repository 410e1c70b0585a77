// Committee administration's document templates (issue 13 item 10): the municipality's
// meetings administrator sees each document's template, a broken template is refused at the
// field with the typesetter's message, a working one is previewed as a PDF/A, saved, and reset
// to the shipped one (so the demo is as before). Axe at 1280 and 360 px on each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, pathOf, staffPage, url } from '../lib.mjs';

describe('Dokumentmallar för sammanträden', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the administrator previews, saves and resets a template; a broken one is refused at the field', async () => {
    const { page } = await staffPage(browser, 'karlstad', 'admin@karlstad.se', 'meetings-templates-start');
    await page.goto(url('karlstad', '/admin/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Dokumentmallar' }));
    assert.equal(pathOf(page), '/admin/moten/mallar');
    await page.getByRole('heading', { level: 1, name: 'Dokumentmallar' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Tillkännagivande på anslagstavlan' }).getByText('(standardmall)').waitFor();
    await checkPage(page, 'meetings-templates');

    await clickAndWait(page, page.getByRole('link', { name: 'Protokollsutdrag' }));
    assert.equal(pathOf(page), '/admin/moten/mallar/utdrag');
    await page.getByRole('heading', { level: 1, name: 'Dokumentmall: Protokollsutdrag' }).waitFor();
    await page.getByText('Kommunen använder Rådhus standardmall.').waitFor();
    const source = page.getByLabel('Mallens källtext (Typst)');
    const shipped = await source.inputValue();
    assert.match(shipped, /Protokollsutdrag/);
    await checkPage(page, 'meetings-template');

    // A broken template: the summary links to the field, the typesetter's message is at it.
    await source.fill('#import "common.typ": data\n#let x = (\n');
    await clickAndWait(page, page.getByRole('button', { name: 'Prova och spara mallen' }));
    const summary = page.locator('.ds-error-summary');
    await summary.getByRole('link').first().waitFor();
    assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#source');
    assert.equal(await source.getAttribute('aria-invalid'), 'true');
    assert.equal(await source.getAttribute('aria-describedby'), 'source-hint source-error');
    await page.locator('#source-error').getByText(/^Mallen kunde inte användas och sparades inte\. Rätta felet: rad \d+:/).waitFor();
    await page.getByText('Kommunen använder Rådhus standardmall.').waitFor();
    await checkPage(page, 'meetings-template-refused');

    // A working template: its preview is a PDF/A typeset with sample data (nothing saved).
    const own = shipped.replace('Utdragsbestyrkande', 'Utdragsbestyrkande (Karlstads kommun)');
    await source.fill(own);
    const preview = await page.evaluate(async (text) => {
      const form = new URLSearchParams({ _csrf: document.querySelector('input[name="_csrf"]').value, source: text, action: 'preview' });
      const res = await fetch(location.pathname, { method: 'POST', body: form });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, type: res.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, own);
    assert.deepEqual(preview, { status: 200, type: 'application/pdf', head: '%PDF-' });

    // Saved, then back to the shipped template.
    await clickAndWait(page, page.getByRole('button', { name: 'Prova och spara mallen' }));
    await page.getByText('Mallen är sparad.').waitFor();
    await page.getByText('Kommunen använder en egen mall.').waitFor();
    assert.match(await source.inputValue(), /Utdragsbestyrkande \(Karlstads kommun\)/);
    await page.getByText('Rådhus standardmall', { exact: true }).waitFor();
    await checkPage(page, 'meetings-template-own');
    await clickAndWait(page, page.getByRole('button', { name: 'Återgå till standardmallen' }));
    await page.getByText('Kommunen använder Rådhus standardmall igen.').waitFor();
    assert.equal(await source.inputValue(), shipped);
  });
});
