import { expect, test } from '@playwright/test';
import { SPOKEN_SECONDS, SPOKEN_SENTENCE } from './support/audio';
import { checkScreen, confirmedAccount, logIn } from './support/app';

test('a student practises by microphone, gets a real score with coloured words, and sees it in the progress charts', async ({ page, request }) => {
  const student = await confirmedAccount(request, 'student', '이서연');
  await logIn(page, student.email);
  await checkScreen(page, 'student-home-empty');

  await page.getByRole('navigation').getByRole('link', { name: '연습' }).click();
  await expect(page.getByRole('heading', { name: '발음 연습' })).toBeVisible();
  await page.getByLabel('난이도').selectOption('beginner');
  await page.getByLabel('주제').selectOption('travel');
  await page.getByRole('button', { name: '문장 5개 만들기' }).click();
  const sentences = page.locator('li.sentence');
  await expect(sentences).toHaveCount(5);
  await expect(sentences.first().locator('.korean')).toHaveText(/[가-힣]/);
  // The native voice appears when tts_ready is pushed.
  await expect(sentences.first().locator('audio')).toHaveAttribute('src', /tts\//, { timeout: 60_000 });
  await checkScreen(page, 'practice-sentences');

  await page.getByLabel('또는 직접 영어 문장을 입력하세요').fill(SPOKEN_SENTENCE);
  await page.getByRole('button', { name: '이 문장으로 연습' }).click();
  const mine = page.locator('section.card', { hasText: '내 문장' });
  await mine.getByRole('button', { name: '녹음하기' }).click();
  await expect(mine.getByRole('meter', { name: '입력 음량' })).toBeVisible();
  await page.waitForTimeout(SPOKEN_SECONDS * 1000);
  await mine.getByRole('button', { name: '녹음 끝내기' }).click();

  const overall = mine.getByRole('figure', { name: /종합 점수: \d+/ });
  await expect(overall).toBeVisible({ timeout: 60_000 });
  const score = Number((await overall.getAttribute('aria-label'))!.match(/\d+/)![0]);
  expect(score).toBeGreaterThan(40);
  await expect(mine.getByRole('meter', { name: '정확도' })).toHaveAttribute('aria-valuenow', /\d+/);
  const words = mine.locator('.words .word');
  await expect(words).toHaveCount(7);
  await expect(words.first()).toHaveText('I');
  const colours = await words.evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
  expect(colours.every((c) => c !== 'rgb(0, 0, 0)')).toBe(true);
  await words.nth(4).click();
  const detail = mine.getByRole('dialog', { name: /“cup” 발음 상세/ });
  await expect(detail.getByRole('cell').filter({ hasText: /\/.+\// }).first()).toBeVisible();
  await expect(mine.locator('.feedback')).toHaveText(/[가-힣]/);
  await checkScreen(page, 'practice-result');

  await page.getByRole('navigation').getByRole('link', { name: '학습 기록' }).click();
  await expect(page.getByRole('heading', { name: '학습 기록' })).toBeVisible();
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('figure', { name: '일별 평균 점수 차트' }).locator('.recharts-line-dot')).toHaveCount(1);
  await expect(page.locator('ul.results li')).toHaveCount(1);
  await expect(page.locator('ul.results li')).toContainText(SPOKEN_SENTENCE);
  await checkScreen(page, 'progress');

  await page.getByRole('navigation').getByRole('link', { name: '홈' }).click();
  await expect(page.getByTestId('streak')).toHaveText('1일');
  await expect(page.getByText('오늘도 연습했어요!')).toBeVisible();
  await checkScreen(page, 'student-home');
});

test('a denied microphone is explained in the learner\'s language, and the next try can succeed', async ({ page, request }) => {
  // As a learner who clicks "Block" on the permission prompt: getUserMedia rejects with NotAllowedError.
  await page.addInitScript(() => {
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    let refusals = 1;
    navigator.mediaDevices.getUserMedia = (constraints) => (refusals-- > 0
      ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) : real(constraints));
  });
  const student = await confirmedAccount(request, 'student', '오지호');
  await logIn(page, student.email);
  await page.getByRole('navigation').getByRole('link', { name: '연습' }).click();
  await page.getByLabel('또는 직접 영어 문장을 입력하세요').fill('Good morning.');
  await page.getByRole('button', { name: '이 문장으로 연습' }).click();
  const mine = page.locator('section.card', { hasText: '내 문장' });
  await mine.getByRole('button', { name: '녹음하기' }).click();
  await expect(mine.getByRole('alert')).toHaveText(/마이크 사용이 거부되었습니다/);
  await mine.getByRole('button', { name: '다시 녹음' }).click();
  await expect(mine.getByRole('meter', { name: '입력 음량' })).toBeVisible();
  await mine.getByRole('button', { name: '녹음 끝내기' }).click();
  // Stopped at once: refused as too short before anything is uploaded.
  await expect(mine.getByRole('alert')).toHaveText(/녹음이 너무 짧습니다/);
});
