import { expect, test } from '@playwright/test';
import { checkScreen, confirmedAccount, logIn, uniqueEmail } from './support/app';

const WAITING = /보호자의 동의를 기다리고 있습니다/;
const NOTE = /보호자가 동의하면 쓸 수 있습니다/;

test("a child waiting for their guardian's consent signs in, and every action the services refuse is disabled with the reason", async ({ page, request }) => {
  await confirmedAccount(request, 'tutor', `Consent Tutor ${Date.now() % 10_000}`);
  const child = await confirmedAccount(request, 'student', 'Minji Kim', { guardianEmail: uniqueEmail('guardian') });
  await logIn(page, child.email);
  await expect(page.getByRole('status').filter({ hasText: WAITING })).toBeVisible();

  // Recording (practice answers 403 GUARDIAN_CONSENT_REQUIRED).
  await page.getByRole('navigation').getByRole('link', { name: '연습' }).click();
  await page.getByLabel('또는 직접 영어 문장을 입력하세요').fill('I would like a cup of coffee.');
  await page.getByRole('button', { name: '이 문장으로 연습' }).click();
  const mine = page.locator('section.card', { hasText: '내 문장' });
  await expect(mine.getByRole('button', { name: '녹음하기' })).toBeDisabled();
  await expect(mine.getByTestId('consent-note')).toHaveText(NOTE);
  await checkScreen(page, 'consent-pending-practice');

  // Starting a conversation (and so sending turns).
  await page.getByRole('navigation').getByRole('link', { name: 'AI 회화' }).click();
  const starts = page.getByRole('button', { name: /대화 시작/ });
  await expect(starts.first()).toBeVisible();
  for (const start of await starts.all()) await expect(start).toBeDisabled();
  await expect(page.getByTestId('consent-note')).toHaveText(NOTE);
  await checkScreen(page, 'consent-pending-conversation');

  // Asking for a tutor.
  await page.getByRole('navigation').getByRole('link', { name: '튜터' }).click();
  const ask = page.getByRole('button', { name: '수업 신청' });
  await expect(ask.first()).toBeVisible();
  for (const button of await ask.all()) {
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', WAITING);
  }
  await expect(page.getByTestId('consent-note')).toHaveText(NOTE);
  await checkScreen(page, 'consent-pending-tutors');
});
