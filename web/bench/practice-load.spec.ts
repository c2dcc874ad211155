// Time from navigation to a usable practice screen (the level/topic form answers) on the dev stack, for a
// signed-in student: a cold load (new browser context, nothing cached) and a warm one (same context).
import { expect, test, type Page } from '@playwright/test';
import { confirmedAccount, logIn, web } from '../e2e/support/app';

const RUNS = 7;

async function timeToUsable(page: Page): Promise<number> {
  await page.goto(`${web()}/practice`, { waitUntil: 'commit' });
  await expect(page.getByRole('button', { name: '문장 5개 만들기' })).toBeEnabled();
  return page.evaluate(() => performance.now());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('page load to a usable practice screen', async ({ browser, request }) => {
  const student = await confirmedAccount(request, 'student', 'bench');
  const first = await browser.newContext();
  const signIn = await first.newPage();
  await logIn(signIn, student.email);
  const storage = await first.storageState();
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ storageState: storage });
    cold.push(await timeToUsable(await context.newPage()));
    await context.close();
  }
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await timeToUsable(signIn));
  await first.close();
  const show = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`practice screen usable after page load (${RUNS} runs each): cold ${show(cold)}; warm ${show(warm)}`);
});
