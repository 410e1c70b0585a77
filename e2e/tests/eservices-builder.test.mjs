// E-services, the form builder: Karlstad's administrator builds a small e-service of the
// municipality's own (two steps, a required text, a choice and a step shown only for one of its
// options; a wrong condition is named at its field first), previews it as the citizen sees it,
// publishes it after the confirmation page, and a citizen with the test e-ID finds it in
// Karlstad's catalogue and submits it. Every builder and preview page is checked with axe at
// 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, newPage, pathOf, staffPage, url } from '../lib.mjs';

const ASTRID = '19850315-2384';
// A key of its own per run, so the test can run again against the same demo.
const KEY = `e2e-bygg-${Date.now() % 1_000_000}`;
const BASE = `/admin/e-tjanster/egna/${KEY}`;
const TITLE = `Anmäl intresse för kurs ${KEY.slice(-6)}`;

describe('e-services: the form builder', () => {
  let browser;
  let page;
  let context;
  before(async () => {
    browser = await launch();
    ({ context, page } = await staffPage(browser, 'karlstad', 'admin@karlstad.se', 'es-builder-admin'));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
  });

  const main = () => page.getByRole('main');

  test('the administrator creates an own e-service; a missing name is named at its field', async () => {
    await page.goto(url('karlstad', '/admin/e-tjanster/egna'));
    await page.getByRole('heading', { level: 1, name: 'Egna e-tjänster' }).waitFor();
    await checkPage(page, 'es-builder-list');
    await page.getByLabel('Kortnamn').fill(KEY);
    await page.getByLabel('Beskrivning').fill('Anmäl intresse för kommunens kurser i digital vardag.');
    await page.getByLabel('Ärendetyp').selectOption({ index: 1 });
    await page.getByLabel('Ärendemening').fill('Intresseanmälan till kurs');
    await clickAndWait(page, main().getByRole('button', { name: 'Skapa e-tjänsten' }));
    const link = page.getByRole('link', { name: /E-tjänstens namn: Skriv e-tjänstens namn\./ });
    assert.equal(await link.getAttribute('href'), '#title');
    assert.equal(await page.getByLabel('E-tjänstens namn').getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'es-builder-list-error');
    await page.getByLabel('E-tjänstens namn').fill(TITLE);
    await clickAndWait(page, main().getByRole('button', { name: 'Skapa e-tjänsten' }));
    assert.equal(pathOf(page), BASE);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await checkPage(page, 'es-builder');
  });

  test('two steps, a required text, a choice and a condition refused at its field until right', async () => {
    await page.goto(url('karlstad', `${BASE}/steg/steg_1`));
    await page.getByLabel('Stegets rubrik').fill('Om dig');
    await clickAndWait(page, main().getByRole('button', { name: 'Spara' }));
    // A required text.
    await page.goto(url('karlstad', `${BASE}/steg/steg_1`));
    await checkPage(page, 'es-builder-step');
    await page.getByLabel('Typ av fråga').selectOption('text');
    await page.getByLabel('Frågan').fill('Ditt namn');
    await clickAndWait(page, main().getByRole('button', { name: 'Lägg till fråga' }));
    assert.equal(pathOf(page), `${BASE}/falt/ditt_namn`);
    await checkPage(page, 'es-builder-field');
    await page.getByLabel('Invånaren måste svara').check();
    await clickAndWait(page, main().getByRole('button', { name: 'Spara' }));
    // A choice with two options.
    await page.goto(url('karlstad', `${BASE}/steg/steg_1`));
    await page.getByLabel('Typ av fråga').selectOption('choice');
    await page.getByLabel('Frågan').fill('Vilken kurs?');
    await clickAndWait(page, main().getByRole('button', { name: 'Lägg till fråga' }));
    await page.getByLabel('Svarsalternativ').fill('dator | Datorn och internet\ntelefon | Mobiltelefonen');
    await page.getByLabel('Invånaren måste svara').check();
    await clickAndWait(page, main().getByRole('button', { name: 'Spara' }));
    assert.equal(pathOf(page), BASE);
    // A second step shown only for the phone course; first with an option that does not exist.
    await page.getByLabel('Stegets rubrik').fill('Om telefonen');
    await clickAndWait(page, main().getByRole('button', { name: 'Lägg till steg' }));
    assert.equal(pathOf(page), `${BASE}/steg/om_telefonen`);
    const cond = page.getByLabel('Visa steget bara när');
    await cond.fill('vilken_kurs == "mobil"');
    await clickAndWait(page, main().getByRole('button', { name: 'Spara', exact: true }));
    const problem = page.getByRole('link', { name: /Rätta det här: visible_if: compares `vilken_kurs` with "mobil"/ });
    assert.equal(await problem.getAttribute('href'), '#visible_if');
    assert.equal(await cond.getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'es-builder-step-error');
    await cond.fill('vilken_kurs == "telefon"');
    await clickAndWait(page, main().getByRole('button', { name: 'Spara', exact: true }));
    assert.equal(pathOf(page), BASE);
    await page.goto(url('karlstad', `${BASE}/steg/om_telefonen`));
    await page.getByLabel('Typ av fråga').selectOption('textarea');
    await page.getByLabel('Frågan').fill('Vilken telefon har du?');
    await clickAndWait(page, main().getByRole('button', { name: 'Lägg till fråga' }));
    await page.getByLabel('Invånaren måste svara').check();
    await clickAndWait(page, main().getByRole('button', { name: 'Spara' }));
    // The choice moved above the name and back.
    await clickAndWait(page, main().getByRole('button', { name: 'Flytta upp Vilken kurs?' }));
    const order = await main().locator('.builder-fields li > a').allTextContents();
    assert.deepEqual(order.slice(0, 2), ['Vilken kurs?', 'Ditt namn']);
    await clickAndWait(page, main().getByRole('button', { name: 'Flytta ned Vilken kurs?' }));
    await checkPage(page, 'es-builder-built');
  });

  test('the preview shows the citizen’s step; nothing is saved', async () => {
    await page.goto(url('karlstad', `${BASE}/forhandsgranska/0`));
    await page.getByText('Förhandsgranskning: så här ser steget ut för invånaren.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Om dig' }).waitFor();
    await checkPage(page, 'es-builder-preview');
    await clickAndWait(page, main().getByRole('button', { name: 'Spara och fortsätt' }));
    assert.equal(await page.getByLabel('Ditt namn').getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'es-builder-preview-errors');
    await page.getByLabel('Ditt namn').fill('Astrid');
    await page.getByLabel('Mobiltelefonen').check();
    await clickAndWait(page, main().getByRole('button', { name: 'Spara och fortsätt' }));
    assert.equal(pathOf(page), `${BASE}/forhandsgranska/1`);
    await page.getByRole('heading', { level: 1, name: 'Om telefonen' }).waitFor();
  });

  test('publishing asks first, then version 1 is published', async () => {
    await page.goto(url('karlstad', `${BASE}/publicera`));
    await page.getByRole('heading', { level: 1, name: `Publicera: ${TITLE}` }).waitFor();
    await checkPage(page, 'es-builder-publish');
    await clickAndWait(page, main().getByRole('button', { name: 'Publicera version 1' }));
    assert.equal(pathOf(page), BASE);
    await page.getByText('Version 1 är publicerad.').waitFor();
  });

  test('a citizen finds it in Karlstad’s catalogue and submits it', async () => {
    const { context: c, page: citizen } = await newPage(browser);
    await citizen.goto(url('karlstad', '/e-legitimation/test?next=%2Fe-tjanster'));
    await citizen.getByLabel('Eller skriv ett personnummer').fill(ASTRID);
    await clickAndWait(citizen, citizen.getByRole('main').getByRole('button', { name: 'Logga in' }));
    await citizen.waitForURL(url('karlstad', '/e-tjanster'));
    await clickAndWait(citizen, citizen.getByRole('main').getByRole('link', { name: TITLE }));
    await clickAndWait(citizen, citizen.getByRole('main').getByRole('button', { name: /^(Börja|Fortsätt där du slutade)$/ }));
    await citizen.getByLabel('Ditt namn').fill('Astrid Lindqvist');
    await citizen.getByLabel('Mobiltelefonen').check();
    await clickAndWait(citizen, citizen.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
    await citizen.getByLabel('Vilken telefon har du?').fill('En Android-telefon.');
    await clickAndWait(citizen, citizen.getByRole('main').getByRole('button', { name: 'Spara och fortsätt' }));
    await citizen.getByRole('heading', { level: 1, name: 'Granska och skicka' }).waitFor();
    await clickAndWait(citizen, citizen.getByRole('button', { name: 'Signera och skicka in' }));
    assert.match(pathOf(citizen), /^\/e-tjanster\/kvitton\/[0-9a-f-]+$/);
    const number = (await citizen.locator('dt:has-text("Diarienummer") + dd').textContent()).trim();
    assert.match(number, /^[A-ZÅÄÖ]+ \d{4}[-:/]\d+/);
    await checkPage(citizen, 'es-builder-receipt');
    // Kil's catalogue does not list it.
    await citizen.goto(url('kil', '/e-tjanster'));
    assert.equal(await citizen.getByRole('link', { name: TITLE }).count(), 0);
    await c.close();
  });
});
