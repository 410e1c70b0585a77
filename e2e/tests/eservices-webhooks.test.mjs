// E-services, outgoing webhooks (issue 11 item 13): Munkfors's administrator opens the webhooks
// page, is refused an http:// address at the field, adds a webhook and sees its secret once,
// finds it listed, opens its page (the empty delivery log) and removes it after the
// confirmation page. Every page is checked with axe at 1280 and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPage, clickAndWait, launch, pathOf, staffPage, url } from '../lib.mjs';

const SLUG = 'munkfors';

describe('e-services: webhooks', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('the administrator adds a webhook, sees the secret once, finds it listed and removes it', async () => {
    const { context, page } = await staffPage(browser, SLUG, `admin@${SLUG}.se`, 'es-wh-admin');
    await clickAndWait(page, page.getByRole('main').getByRole('link', { name: /^Webhooks/ }));
    assert.equal(pathOf(page), '/admin/e-tjanster/webhooks');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await checkPage(page, 'es-webhooks');

    // http:// to another host is refused at the field, the summary linked to it.
    const address = page.getByLabel('Adress (URL)');
    await address.fill('http://system.munkfors.example/radhus');
    await clickAndWait(page, page.getByRole('button', { name: 'Lägg till webhook' }));
    const problem = page.getByRole('alert').getByRole('link', { name: /Skriv en adress som börjar med https:\/\// });
    assert.equal(await problem.getAttribute('href'), '#es-wh-url');
    assert.equal(await page.getByLabel('Adress (URL)').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Adress (URL)').getAttribute('aria-describedby'), 'es-wh-url-hint es-wh-url-error');
    assert.equal(await page.getByLabel('Adress (URL)').inputValue(), 'http://system.munkfors.example/radhus', 'what was typed is kept');
    await checkPage(page, 'es-webhooks-error');

    // Added: the secret is shown on this answer only.
    const hook = `https://system.munkfors.example/radhus-${Date.now()}`;
    await page.getByLabel('Adress (URL)').fill(hook);
    assert.ok(await page.getByRole('checkbox', { name: 'Ansökan har kommit in' }).isChecked());
    await page.getByRole('checkbox', { name: 'Meddelande i ärendet' }).uncheck();
    await clickAndWait(page, page.getByRole('button', { name: 'Lägg till webhook' }));
    await page.getByRole('heading', { level: 1, name: 'Webhooken är tillagd' }).waitFor();
    const secret = await page.getByLabel('Hemlighet').inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
    await checkPage(page, 'es-webhook-created');

    // Listed without its secret; its page shows the empty delivery log.
    await page.goto(url(SLUG, '/admin/e-tjanster/webhooks'));
    const link = page.getByRole('link', { name: hook });
    await link.waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
    await clickAndWait(page, link);
    await page.getByRole('heading', { level: 1, name: 'Webhook' }).waitFor();
    await page.getByText('Inget har skickats än.').waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Meddelande i ärendet' }).isChecked(), false);
    await checkPage(page, 'es-webhook');

    // Removed only after the confirmation page.
    await clickAndWait(page, page.getByRole('link', { name: 'Ta bort webhooken' }));
    await page.getByRole('heading', { level: 1, name: 'Ta bort webhooken' }).waitFor();
    await checkPage(page, 'es-webhook-delete');
    await clickAndWait(page, page.getByRole('button', { name: 'Ja, ta bort webhooken' }));
    assert.equal(pathOf(page), '/admin/e-tjanster/webhooks');
    await page.getByText('Webhooken är borttagen.').waitFor();
    assert.equal(await page.getByRole('link', { name: hook }).count(), 0);
    await context.close();
  });
});
