// Committee administration, at the meeting: attendance per item. The secretary records that a
// member left before the second item; that item's page shows who serves, warns about the
// quorum, and proposes the first substitute in the call-in order, which the secretary
// confirms. Axe at 1280 and 360 px on each page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, pathOf, staffPage, url } from '../lib.mjs';

describe('Närvaro per punkt och ersättare', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('a departure is recorded and a proposed substitute confirmed', async () => {
    const { page } = await staffPage(browser, 'karlstad', 'johan.berg@karlstad.se', 'meetings-attendance-start');
    await page.goto(url('karlstad', '/admin/moten'));
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: 'Kommunstyrelsen' }));
    const day = new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10);
    await page.getByLabel('Datum').fill(day);
    await page.getByLabel('Klockslag').fill('10:00');
    await page.getByLabel('Plats', { exact: true }).fill('Närvarosalen');
    await clickAndWait(page, page.getByRole('button', { name: 'Skapa sammanträdet' }));
    assert.match(pathOf(page), /^\/admin\/moten\/mote\//);
    const meeting = pathOf(page);
    for (const title of ['Information om budgeten', 'Information om skolskjutsen']) {
      await page.getByLabel('Slag av punkt').selectOption('information');
      await page.getByLabel('Rubrik').fill(title);
      await clickAndWait(page, page.getByRole('button', { name: 'Lägg till punkt' }));
    }
    await clickAndWait(page, page.getByRole('button', { name: 'Skicka kallelsen' }));
    await clickAndWait(page, page.getByRole('button', { name: 'Sammanträdet är genomfört' }));
    // Everyone present, substitutes too, none called in for the whole meeting.
    const present = page.getByRole('group', { name: 'Närvarande' }).getByRole('checkbox');
    for (let i = 0; i < (await present.count()); i++) await present.nth(i).check();
    await clickAndWait(page, page.getByRole('button', { name: 'Spara närvaron' }));

    // The first seat-holder leaves before the second item.
    await page.getByRole('heading', { level: 3, name: 'Ankomst och avgång' }).waitFor();
    const first = page.locator('form[action$="/narvaro/tider"] fieldset').first();
    const name = (await first.locator('legend').innerText()).trim();
    await first.getByLabel('Gick före punkt').selectOption({ label: 'Information om skolskjutsen' });
    await clickAndWait(page, page.getByRole('button', { name: 'Spara ankomst och avgång' }));
    const left = page.locator('form[action$="/narvaro/tider"] fieldset').first().getByLabel('Gick före punkt');
    assert.equal(await left.locator('option:checked').innerText(), 'Information om skolskjutsen');
    await checkPage(page, 'meetings-attendance-departure');

    // The second item: the member does not serve; the first substitute in the call-in order is proposed.
    await clickAndWait(page, page.getByRole('link', { name: 'Information om skolskjutsen' }));
    await page.getByRole('heading', { level: 2, name: 'Tjänstgörande i ärendet' }).waitFor();
    const unserved = page.getByRole('listitem').filter({ hasText: `${name} (inte närvarande)` });
    await unserved.getByText('föreslagen ersättare enligt inkallelseordningen').waitFor();
    const substitute = await unserved.getByLabel(`Ersättare för ${name}`).locator('option:checked').innerText();
    await checkPage(page, 'meetings-attendance-proposal');
    await clickAndWait(page, unserved.getByRole('button', { name: 'Bekräfta ersättaren' }));
    await page
      .getByRole('listitem')
      .filter({ hasText: `${substitute.trim()} (` })
      .filter({ hasText: `tjänstgör för ${name}` })
      .waitFor();
    await checkPage(page, 'meetings-attendance-substitute');

    // The first item: the member still served there, nobody is proposed.
    await page.goto(url('karlstad', meeting));
    await clickAndWait(page, page.getByRole('link', { name: 'Information om budgeten' }));
    await page.getByRole('heading', { level: 2, name: 'Tjänstgörande i ärendet' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Ledamöter som inte tjänstgör' }).count(), 0);
  });
});
