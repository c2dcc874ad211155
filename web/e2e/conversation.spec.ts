import { expect, test, type Page } from '@playwright/test';
import { SPOKEN_SECONDS } from './support/audio';
import path from 'node:path';
import { accessToken, checkScreen as checkDesktop, confirmedAccount, logIn, SCREENSHOTS, stackConfig } from './support/app';

/** axe and the desktop screenshot, then the same screen at phone width (`<name>-phone.png`). */
async function checkScreen(page: Page, name: string) {
  await checkDesktop(page, name);
  const desktop = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(1_600); // a resized chart draws its bars again (Recharts' 1.5 s animation)
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(desktop);
}

test('a spoken conversation turn: scenario, hold to talk, live states until the ai_reply push, hint, report', async ({ page, request }) => {
  const { services } = await stackConfig(request);

  const student = await confirmedAccount(request, 'student', '강민서');
  await logIn(page, student.email);
  await page.getByRole('navigation').getByRole('link', { name: 'AI 회화' }).click();
  await expect(page.getByRole('heading', { name: 'AI 회화' })).toBeVisible();
  await expect(page.locator('.scenario-list > li').first()).toBeVisible();
  // Each card has its scenario's picture (made once by the conversation service), described for screen readers.
  const picture = page.locator('.scenario-list > li').first().getByTestId('scenario-picture').locator('img');
  await expect(picture).toHaveAttribute('alt', / 장면: .+/);
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(768);
  await checkScreen(page, 'conversation-scenarios');
  await page.locator('.scenario-list > li').first().getByRole('button', { name: /대화 시작/ }).click();

  const chat = page.getByRole('list', { name: '대화 내용' });
  await expect(page.locator('.chat-head').getByTestId('scenario-picture').locator('img')).toBeVisible();
  await expect(chat.locator('.bubble-ai')).toHaveCount(1);
  await expect(chat.locator('.bubble-ai').first().locator('[lang="ko"]')).toHaveText(/[가-힣]/);
  const phase = page.getByTestId('chat-phase');
  // The partner speaks first: its opening line plays, then it is my turn.
  await expect(phase).toHaveText('말하는 중…');
  await expect(phase).toHaveText('말할 차례예요');

  const talk = page.getByRole('button', { name: '누르고 말하기' });
  await talk.hover();
  await page.mouse.down();
  await expect(phase).toHaveText('듣는 중…');
  await page.waitForTimeout(SPOKEN_SECONDS * 1000);
  await page.mouse.up();
  await expect(phase).toHaveText('생각 중…');
  await expect(chat.locator('.bubble-ai')).toHaveCount(2, { timeout: 90_000 });
  await expect(chat.locator('.bubble-me').first()).toContainText(/coffee|cup/i);
  await expect(phase).not.toHaveText('생각 중…');

  await page.getByRole('checkbox', { name: '한국어 번역 보기' }).uncheck();
  await expect(chat.locator('[lang="ko"]')).toHaveCount(0);
  await page.getByRole('button', { name: '힌트' }).click();
  await expect(page.getByRole('status').filter({ hasText: /[a-z]/i }).last()).toBeVisible();

  await page.getByLabel('또는 입력하기').fill('Yes, please. Can I have it with milk?');
  await page.getByRole('button', { name: '보내기' }).click();
  await expect(chat.locator('.bubble-ai')).toHaveCount(3, { timeout: 90_000 });
  // Each turn's feedback (pushed as turn_feedback once saved, re-read as the fallback) is collapsed under its bubble.
  await expect(chat.locator('.bubble-me').nth(1).getByTestId('turn-feedback')).toBeVisible({ timeout: 60_000 });
  await expect(chat.locator('.bubble-me').first().getByTestId('turn-feedback')).toBeVisible();
  await chat.locator('.bubble-me').first().getByTestId('turn-feedback').locator('summary').click();
  await expect(chat.locator('.bubble-me').first().getByTestId('turn-feedback')).toContainText(/발음 \d+점/);
  await checkScreen(page, 'conversation-chat');

  await page.getByRole('button', { name: '대화 끝내기' }).click();
  await expect(page.getByRole('heading', { name: '대화 리포트' })).toBeVisible();
  await expect(page.getByText(/예상 수준\(추정\): [ABC][12]/)).toBeVisible();
  await expect(page.getByRole('heading', { name: /목표 달성 \d \/ \d/ })).toBeVisible();
  await expect(page.getByRole('button', { name: '누르고 말하기' })).toHaveCount(0);
  await checkScreen(page, 'conversation-report');

  // Practice counts the spoken and typed turns (conversation_turn_completed, after each turn's feedback):
  // the home screen's today card and the progress summary show them.
  await page.getByRole('navigation').getByRole('link', { name: '홈' }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('conversation-today')).toHaveText('오늘 AI 회화 2턴', { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await checkScreen(page, 'home-with-conversation');
  await page.getByRole('navigation').getByRole('link', { name: '학습 기록' }).click();
  await expect(page.getByTestId('conversation-turns')).toHaveText('2');
  await checkScreen(page, 'progress-with-conversation');

  await page.getByRole('navigation').getByRole('link', { name: 'AI 회화' }).click();
  await expect(page.locator('ul.results li')).toHaveCount(1);
  await expect(page.locator('ul.results li')).toContainText('종료');

  // Their tutor reads the conversation from the student's page.
  const tutor = await confirmedAccount(request, 'tutor', '서유나 선생님');
  const [studentToken, tutorToken] = [await accessToken(request, student.email), await accessToken(request, tutor.email)];
  await expect.poll(async () => (await request.get(`${services.matching}/api/tutors/${tutor.email}`,
    { headers: { Authorization: `Bearer ${studentToken}` } })).status()).toBe(200);
  const asked = await (await request.post(`${services.matching}/api/tutors/${tutor.email}/request`,
    { headers: { Authorization: `Bearer ${studentToken}` }, data: { message: '' } })).json();
  expect((await request.post(`${services.matching}/api/tutors/requests/${asked.requestId}/approve`,
    { headers: { Authorization: `Bearer ${tutorToken}` } })).status()).toBe(200);
  const tutorPage = await (await page.context().browser()!.newContext({ locale: 'ko-KR' })).newPage();
  await logIn(tutorPage, tutor.email);
  await tutorPage.getByTestId('student-row').getByRole('link').click();
  const past = tutorPage.locator('section.card', { hasText: '지난 대화' });
  await expect(past.getByRole('link', { name: '카페에서 주문하기' }).or(past.getByRole('link').first())).toBeVisible();
  await past.getByRole('link').first().click();
  await expect(tutorPage.getByRole('list', { name: '대화 내용' }).locator('.bubble-me')).toHaveCount(2);
  await expect(tutorPage.getByRole('button', { name: '누르고 말하기' })).toHaveCount(0);
  await expect(tutorPage.getByRole('heading', { name: '대화 리포트' })).toBeVisible();
  // Named as the tutor's student list names them, not by email.
  await expect(tutorPage.getByTestId('read-only')).toContainText('강민서 학생의 대화');
  await expect(tutorPage.getByTestId('read-only')).not.toContainText(student.email);
  await checkScreen(tutorPage, 'tutor-conversation');
});
