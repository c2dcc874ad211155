import { expect, test, type Page } from '@playwright/test';
import { SPOKEN_SECONDS, SPOKEN_SENTENCE } from './support/audio';
import { checkScreen, confirmedAccount, logIn } from './support/app';

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name }).click();

test('tutor and student in two browsers: request, live approval, live status and score, live feedback', async ({ browser, request }) => {
  const tutor = await confirmedAccount(request, 'tutor', '최지우 선생님');
  const student = await confirmedAccount(request, 'student', '한도윤');
  const tutorContext = await browser.newContext({ locale: 'ko-KR' });
  const studentContext = await browser.newContext({ locale: 'ko-KR' });
  const tutorPage = await tutorContext.newPage();
  const studentPage = await studentContext.newPage();

  await logIn(tutorPage, tutor.email);
  await expect(tutorPage.getByRole('heading', { name: '튜터 대시보드' })).toBeVisible();
  await expect(tutorPage.getByText('새 신청이 없습니다.')).toBeVisible();
  await expect(tutorPage.getByRole('img', { name: '실시간 연결됨' })).toBeVisible();
  await checkScreen(tutorPage, 'tutor-dashboard-empty');

  await logIn(studentPage, student.email);
  await nav(studentPage, '튜터');
  await studentPage.getByLabel('이름으로 검색').fill('최지');
  const row = studentPage.locator('li.tutor-row', { hasText: tutor.email });
  await row.getByRole('button', { name: '수업 신청' }).click();
  await row.getByLabel('튜터에게 보낼 메시지').fill('발음 교정을 받고 싶어요.');
  await row.getByRole('button', { name: '신청 보내기' }).click();
  const status = studentPage.getByTestId('my-request').first().getByTestId('request-status');
  await expect(status).toHaveText('대기 중');
  await checkScreen(studentPage, 'tutors');

  // The request reaches the tutor's open dashboard without a reload.
  const incoming = tutorPage.getByTestId('incoming-request');
  await expect(incoming).toContainText('한도윤');
  await expect(incoming).toContainText('발음 교정을 받고 싶어요.');
  await expect(tutorPage.getByTestId('unread-count')).toHaveText('1');
  await checkScreen(tutorPage, 'tutor-dashboard-request');
  await incoming.getByRole('button', { name: '승인' }).click();
  await expect(tutorPage.getByTestId('student-row')).toContainText('한도윤');

  // ... and the approval reaches the student's open page.
  await expect(status).toHaveText('승인됨');
  await expect(studentPage.getByTestId('my-tutor')).toContainText('최지우 선생님');
  await studentPage.getByRole('button', { name: /알림/ }).click();
  await expect(studentPage.getByRole('region', { name: '알림' }).locator('li.unread')).toHaveCount(1);
  await checkScreen(studentPage, 'notifications-open');
  await studentPage.keyboard.press('Escape');

  // The student starts practising: the tutor sees it live, then the score.
  const studentRow = tutorPage.getByTestId('student-row');
  await expect(studentRow.getByTestId('student-status')).toHaveText('학습 중 아님');
  await nav(studentPage, '연습');
  await expect(studentRow.getByTestId('student-status')).toHaveText('지금 학습 중: 발음 연습');
  await studentPage.getByLabel('또는 직접 영어 문장을 입력하세요').fill(SPOKEN_SENTENCE);
  await studentPage.getByRole('button', { name: '이 문장으로 연습' }).click();
  const mine = studentPage.locator('section.card', { hasText: '내 문장' });
  await mine.getByRole('button', { name: '녹음하기' }).click();
  await studentPage.waitForTimeout(SPOKEN_SECONDS * 1000);
  await mine.getByRole('button', { name: '녹음 끝내기' }).click();
  await expect(mine.getByRole('figure', { name: /종합 점수: \d+/ })).toBeVisible({ timeout: 60_000 });
  await expect(studentRow.getByTestId('student-score')).toHaveText(/최근 점수 \d+/);
  await checkScreen(tutorPage, 'tutor-dashboard-live');
  await nav(studentPage, '홈');
  await expect(studentRow.getByTestId('student-status')).toHaveText('학습 중 아님');
  await expect(studentPage.getByText('아직 받은 피드백이 없습니다.')).toBeVisible();

  // The tutor reads the student's progress and sends feedback; it reaches the student's home live.
  await studentRow.getByRole('link', { name: '한도윤' }).click();
  await expect(tutorPage.getByRole('heading', { name: /학생$/ })).toBeVisible();
  await expect(tutorPage.locator('ul.results li')).toContainText(SPOKEN_SENTENCE);
  await expect(tutorPage.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await tutorPage.getByLabel('종류').selectOption('praise');
  await tutorPage.getByLabel('메시지').fill('“coffee” 발음이 아주 좋아졌어요!');
  await tutorPage.getByRole('button', { name: '보내기' }).click();
  await expect(tutorPage.getByText('피드백을 보냈습니다.')).toBeVisible();
  await checkScreen(tutorPage, 'tutor-student');

  await expect(studentPage.getByTestId('latest-feedback')).toContainText('“coffee” 발음이 아주 좋아졌어요!');
  await expect(studentPage.getByTestId('latest-feedback')).toContainText('최지우 선생님');
  await checkScreen(studentPage, 'student-home-feedback');

  await tutorContext.close();
  await studentContext.close();
});
