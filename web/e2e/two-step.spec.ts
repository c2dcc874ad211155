import { expect, test } from '@playwright/test';
import { checkScreen, confirmedAccount, logIn, PASSWORD, web } from './support/app';
import { freshTotp, totp } from './support/totp';

test('RFC 6238: the test computes the codes an authenticator app would', () => {
  // RFC 6238 appendix B (SHA-1), the last six digits.
  expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
  expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1_111_111_109_000)).toBe('081804');
});

test('a student turns on two-step sign-in with the QR code\'s key, signs in with the code, and turns it off', async ({ page, request }) => {
  const student = await confirmedAccount(request, 'student', '최보안');
  await logIn(page, student.email);
  await page.goto(`${web()}/profile`);
  const card = page.locator('section.two-step');
  await expect(card.getByRole('heading', { name: '2단계 로그인' })).toBeVisible();
  await card.getByRole('button', { name: '2단계 로그인 설정' }).click();
  await expect(card.getByRole('img', { name: '인증 앱에 등록할 QR 코드' })).toBeVisible();
  // The key as shown (groups of four), typed into the "app" as a person would.
  const secret = (await card.getByTestId('two-step-secret').textContent())?.replace(/\s+/g, '') ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{12,}$/);
  await card.getByTestId('two-step-secret').scrollIntoViewIfNeeded();
  await checkScreen(page, 'two-step-setup');
  await card.getByLabel('인증 앱의 6자리 코드').fill(await freshTotp(secret));
  await card.getByRole('button', { name: '확인하고 켜기' }).click();
  await expect(card.getByRole('status')).toContainText('2단계 로그인이 켜졌습니다');
  await expect(card.getByRole('button', { name: '2단계 로그인 끄기' })).toBeVisible();

  await page.getByRole('button', { name: '로그아웃' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('이메일').fill(student.email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('heading', { name: '2단계 로그인' })).toBeVisible();
  await expect(page.getByRole('button', { name: '로그아웃' })).toHaveCount(0);
  const wrong = ((Number(totp(secret)) + 500_000) % 1_000_000).toString().padStart(6, '0');
  await page.getByLabel('인증 앱의 6자리 코드').fill(wrong);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('코드가 올바르지 않습니다');
  await checkScreen(page, 'two-step-login');
  await page.getByLabel('인증 앱의 6자리 코드').fill(await freshTotp(secret));
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();

  await page.goto(`${web()}/profile`);
  await card.getByRole('button', { name: '2단계 로그인 끄기' }).click();
  await card.getByLabel('비밀번호').fill(PASSWORD);
  await card.getByRole('button', { name: '끄기', exact: true }).click();
  await expect(card.getByRole('status')).toContainText('2단계 로그인이 꺼졌습니다');
  await expect(card.getByRole('button', { name: '2단계 로그인 설정' })).toBeVisible();
});

test('a student who lost their phone signs in with a recovery code and is asked to set two-step sign-in up again', async ({ page, request }) => {
  const student = await confirmedAccount(request, 'student', '한복구');
  await logIn(page, student.email);
  await page.goto(`${web()}/profile`);
  const card = page.locator('section.two-step');
  await card.getByRole('button', { name: '2단계 로그인 설정' }).click();
  const secret = (await card.getByTestId('two-step-secret').textContent())?.replace(/\s+/g, '') ?? '';
  await card.getByLabel('인증 앱의 6자리 코드').fill(await freshTotp(secret));
  await card.getByRole('button', { name: '확인하고 켜기' }).click();
  // The recovery codes, shown once: the person writes one down.
  const codes = card.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const code = (await codes.nth(2).textContent()) ?? '';
  expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await card.getByRole('button', { name: '보관했습니다' }).click();
  await expect(card.getByTestId('recovery-codes')).toHaveCount(0);

  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.getByLabel('이메일').fill(student.email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByRole('button', { name: '휴대폰을 잃어버렸나요? 복구 코드 사용' }).click();
  await page.getByLabel('복구 코드').fill('abcde-fghjk');
  await page.getByRole('button', { name: '복구 코드로 로그인' }).click();
  await expect(page.getByRole('alert')).toContainText('이미 사용한 코드입니다');
  await page.getByLabel('복구 코드').fill(code.toUpperCase());
  await page.getByRole('button', { name: '복구 코드로 로그인' }).click();
  await expect(page).toHaveURL(/\/profile\?twoStep=recovered/);
  await expect(card.getByRole('alert')).toContainText('새 휴대폰으로 다시 설정하세요');
  await expect(card.getByRole('button', { name: '2단계 로그인 설정' })).toBeVisible();

  // The password alone signs in now; the code used is spent for good.
  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.getByLabel('이메일').fill(student.email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
});
