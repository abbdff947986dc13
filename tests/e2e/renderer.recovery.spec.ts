// Recovery through the window, over the real handlers and a real vault: rotate the keys (the bar
// advances through the rotation's phases, the vault locks, and it opens again with the same
// passphrase); make an escrow whose shares are saved one as a printable file and one encrypted to
// an age recipient the owner typed — the test decrypts that one with the age library and shows
// the two shares rebuild the recovery key the vault's header slot expects.
import { expect, test } from '@playwright/test';
import * as age from 'age-encryption';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyFingerprint } from '../../src/core/crypto/keys.js';
import { parseShareInput, rebuildRecoveryKey } from '../../src/node/escrow/escrow.service.js';
import { checkScreen } from './support/checks.js';
import { fractions, recordProgress } from './support/progress.js';
import { PASSPHRASE, startVaultApp, type VaultApp } from './support/vault-app.js';

const OWNER = { kind: 'owner', channel: 'desktop' } as const;

let app: VaultApp;
test.afterEach(async () => app?.close());

test('rotate the keys with progress; the vault locks and opens again with the same passphrase', async ({ page }) => {
  test.setTimeout(90_000); // two screens checked, each in two schemes at two widths
  app = await startVaultApp(page);
  const ids: string[] = [];
  for (const i of [1, 2, 3, 4, 5])
    ids.push((await app.backend.engine.store({ content: `note ${i}`, level: 1, title: `Note ${i}` }, OWNER)).id);
  await app.open();
  const progress = await recordProgress(page);
  await page.getByRole('button', { name: 'Recovery', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Rotate keys' })).toBeVisible();
  await checkScreen(page, 'recovery');

  // A wrong passphrase is refused on the open session: nothing locks.
  const rotate = page.getByRole('region', { name: 'Rotate keys' });
  await rotate.getByLabel('Passphrase').fill('not my passphrase');
  await rotate.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(rotate.getByRole('alert')).toContainText('Not rotated');

  await rotate.getByLabel('Passphrase').fill(PASSPHRASE);
  await rotate.getByRole('button', { name: 'Rotate keys' }).click();
  // The rotation locks the vault; the unlock screen says how it ended, with the finished bar.
  await expect(page.getByRole('heading', { name: 'Unlock Memory Vault' })).toBeVisible();
  const notice = page.getByTestId('relock-notice');
  await expect(notice).toContainText('Keys rotated');
  await expect(notice.getByTestId('progress-rotate')).toHaveAttribute('data-phase', 'done');
  await expect(notice.getByRole('progressbar', { name: 'Key rotation progress' })).toHaveAttribute('value', '100');
  const events = await progress('rotate');
  expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['prepare', 'rewrap', 'rekey', 'commit-header', 'done']));
  const rewrap = events.filter((e) => e.phase === 'rewrap').at(-1);
  expect(rewrap).toMatchObject({ done: 5, total: 5 });
  expect(fractions(events).at(-1)).toBe(1);
  await checkScreen(page, 'recovery-rotated-locked');

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Memories' })).toBeVisible();
  await expect(notice).toHaveCount(0);
  for (const id of ids) expect((await app.backend.reveal(id, undefined)).content).toMatch(/^note \d$/);
  const rotations = app.backend.engine.auditLog.list({ kind: 'key.rotation', limit: 10 });
  expect(rotations).toHaveLength(1);
});

test('escrow: shares saved as a file and age-encrypted to a typed recipient; two rebuild the recovery key', async ({ page }) => {
  test.setTimeout(90_000);
  app = await startVaultApp(page);
  const identity = await age.generateIdentity();
  const recipient = await age.identityToRecipient(identity);
  await app.open();
  await page.getByRole('button', { name: 'Recovery', exact: true }).click();
  const escrow = page.getByRole('region', { name: 'Escrow shares' });
  await escrow.getByLabel('Label').fill('family');
  await escrow.getByLabel('Holder 1 name').fill('Alice');
  await escrow.getByLabel('Holder 2 name').fill('Bob');
  await escrow.getByLabel('Holder 2 share as').selectOption('age');
  await escrow.getByLabel('Holder 2 age recipient').fill(recipient);
  await escrow.getByLabel('Holder 3 name').fill('Carol');
  await escrow.getByLabel('Shares needed to recover').fill('2');
  await escrow.getByLabel('Passphrase').fill(PASSPHRASE);
  await checkScreen(page, 'recovery-escrow-form');
  await escrow.getByRole('button', { name: 'Create escrow' }).click();

  await expect(escrow.getByTestId('held-share')).toHaveCount(3);
  await expect(escrow.getByTestId('escrow-row')).toContainText('2 of 3');
  await checkScreen(page, 'recovery-escrow-shares');
  await escrow.getByRole('button', { name: 'Save share 1 for Alice…' }).click();
  await escrow.getByRole('button', { name: 'Save share 2 for Bob…' }).click();
  const savedAlice = escrow.getByText(/^Saved as share-.*-1-alice\.txt$/);
  const savedBob = escrow.getByText(/^Saved as share-.*-2-bob\.age$/);
  await expect(savedAlice).toBeVisible();
  await expect(savedBob).toBeVisible();
  await expect(escrow.getByRole('button', { name: 'Forget the 1 unsaved share' })).toBeVisible();

  const file = async (saved: typeof savedAlice) => join(app.root, ((await saved.textContent()) ?? '').replace(/^Saved as /, ''));
  const aliceText = readFileSync(await file(savedAlice), 'utf8');
  expect(aliceText).toMatch(/^MVS1-/);
  const armored = readFileSync(await file(savedBob), 'utf8');
  expect(armored).toContain('BEGIN AGE ENCRYPTED FILE');
  expect(armored).not.toContain('MVS1-');
  // The holder's side: age decrypts the file with their identity.
  const d = new age.Decrypter();
  d.addIdentity(identity);
  const bobJson = await d.decrypt(age.armor.decode(armored), 'text');
  expect(JSON.parse(bobJson)).toMatchObject({ format: 'memory-vault-escrow-share', label: 'family', index: 2, threshold: 2 });

  // Alice's and Bob's shares together rebuild the key the vault's recovery slot was made for.
  const { escrowId, recoveryKey } = await rebuildRecoveryKey([parseShareInput(aliceText), parseShareInput(bobJson)]);
  const slot = (app.backend.currentSession().header.profiles[0]?.recovery ?? []).find((s) => s.id === escrowId);
  expect(slot?.recoveryKeyFingerprint).toBe(keyFingerprint(recoveryKey));
  recoveryKey.fill(0);

  await escrow.getByRole('button', { name: 'Forget the 1 unsaved share' }).click();
  await expect(escrow.getByTestId('held-share')).toHaveCount(0);
  await expect(escrow.getByTestId('escrow-row')).toContainText('Usable');
});
