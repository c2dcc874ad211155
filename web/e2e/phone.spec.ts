import { expect, test, type Page } from '@playwright/test';
import { checkScreen, confirmedAccount, logIn, web } from './support/app';

// A 2×2 PNG, enough for a profile photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

async function fitsThePhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no sideways scrolling at phone width').toBeLessThanOrEqual(0);
  // Nor inside the menu: every link is whole and in sight (a menu that scrolls sideways cuts "프로필" off).
  const cut = await page.getByRole('navigation').evaluateAll((menus) => menus.flatMap((menu) => [
    ...(menu.scrollWidth > menu.clientWidth ? [`${menu.getAttribute('aria-label')} scrolls sideways`] : []),
    ...[...menu.querySelectorAll('a')].filter((link) => {
      const box = link.getBoundingClientRect();
      return box.left < 0 || box.right > window.innerWidth;
    }).map((link) => `${link.textContent} is cut off`),
  ]));
  expect(cut, 'the menu at phone width').toEqual([]);
}

test('at phone width every student screen fits, passes axe, and works by keyboard; the profile takes a name and a photo', async ({ page, request }) => {
  const student = await confirmedAccount(request, 'student', '윤아린');
  await page.goto(`${web()}/login`);
  await fitsThePhone(page);
  await checkScreen(page, 'phone-login');
  await logIn(page, student.email);

  // Keyboard: on a fresh load the skip link is the first stop and lands on the main content; after a
  // navigation by keyboard, focus is on the new page's content.
  await page.goto(`${web()}/`); // redirected to /home: a redirect does not move focus
  await expect(page.getByRole('heading', { name: '오늘의 학습' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: '본문으로 건너뛰기' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await page.getByRole('navigation').getByRole('link', { name: '연습' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '발음 연습' })).toBeVisible();
  await expect(page.locator('main')).toBeFocused();

  for (const [path, heading, name] of [['/home', '오늘의 학습', 'phone-home'], ['/practice', '발음 연습', 'phone-practice'],
    ['/progress', '학습 기록', 'phone-progress'], ['/tutors', '튜터 찾기', 'phone-tutors'],
    ['/notifications', '알림', 'phone-notifications']] as const) {
    await page.goto(`${web()}${path}`);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await fitsThePhone(page);
    await checkScreen(page, name);
  }

  await page.goto(`${web()}/profile`);
  await expect(page.getByRole('heading', { name: '프로필', level: 1 })).toBeVisible();
  await page.getByLabel('이름').fill('윤아린 (Arin)');
  await page.getByLabel('자기소개').fill('여행 영어를 연습하고 있어요.');
  await page.getByRole('button', { name: '저장' }).click();
  await expect(page.getByText('저장했습니다.')).toBeVisible();
  await expect(page.getByText('윤아린 (Arin)님, 안녕하세요')).toBeVisible();
  await page.getByLabel(/사진 선택/).setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('img', { name: '내 프로필 사진' })).toHaveAttribute('src', /profile-images/);
  await page.reload();
  await expect(page.getByLabel('이름')).toHaveValue('윤아린 (Arin)');
  await fitsThePhone(page);
  await checkScreen(page, 'phone-profile');
});

test('at phone width the tutor dashboard fits and passes axe', async ({ page, request }) => {
  const tutor = await confirmedAccount(request, 'tutor', '임하늘 선생님');
  await logIn(page, tutor.email);
  await expect(page.getByRole('heading', { name: '튜터 대시보드', level: 1 })).toBeVisible();
  await expect(page.getByText('학생 0명 / 최대 10명')).toBeVisible();
  await fitsThePhone(page);
  await checkScreen(page, 'phone-tutor-dashboard');
  // The switch is controlled by the query cache, which the mutation updates a microtask after the click:
  // click and wait for the state instead of uncheck(), which reads it back at once.
  await page.getByLabel('새 학생 받기').click();
  await expect(page.getByLabel('새 학생 받기')).not.toBeChecked();
  await page.reload();
  await expect(page.getByLabel('새 학생 받기')).not.toBeChecked();
});
