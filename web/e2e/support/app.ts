import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.resolve(here, '../../../build/screenshots');
export const PASSWORD = 'Speak-Track3r!';

export const web = () => {
  const url = process.env.SPEAKTRACKER_WEB_URL;
  if (!url) throw new Error('SPEAKTRACKER_WEB_URL is not set (global setup starts the stack)');
  return url;
};

type Config = { services: Record<string, string>; websocket: string };
let config: Config | null = null;
export async function stackConfig(request: APIRequestContext): Promise<Config> {
  if (!config) config = (await (await request.get(`${web()}/config.json`)).json()) as Config;
  return config;
}

export const uniqueEmail = (role: string) => `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;

/** The newest six-digit code the services emailed to `email` (the dev mailbox). */
export async function mailedCode(request: APIRequestContext, email: string): Promise<string> {
  let code: string | undefined;
  await expect.poll(async () => {
    const box = await (await request.get(`${web()}/dev/mailbox`, { params: { to: email } })).json();
    code = /\b(\d{6})\b/.exec(box.messages?.[0]?.body ?? '')?.[1];
    return code;
  }, { timeout: 20_000 }).toBeTruthy();
  return code!;
}

/** A year that makes an adult of anyone (identity asks every sign-up for one). */
export const ADULT_BIRTH_YEAR = 1990;

/** A confirmed account made through identity's own routes (for tests whose subject is not sign-up). */
export async function confirmedAccount(request: APIRequestContext, role: 'student' | 'tutor', name: string,
  child?: { guardianEmail: string }) {
  const { services } = await stackConfig(request);
  const email = uniqueEmail(role);
  // A child is ten this year (under the consent age of 14): their guardian is emailed and must consent.
  const birthYear = child ? new Date().getFullYear() - 10 : ADULT_BIRTH_YEAR;
  const made = await request.post(`${services.identity}/api/auth/register`,
    { data: { email, password: PASSWORD, name, role, birthYear, ...child } });
  expect(made.status(), await made.text()).toBe(201);
  const code = await mailedCode(request, email);
  expect((await request.post(`${services.identity}/api/auth/confirm`, { data: { email, code } })).status()).toBe(200);
  return { email, name, role };
}

/** An access token for calling the services directly (set-up steps that are not what a test is about). */
export async function accessToken(request: APIRequestContext, email: string): Promise<string> {
  const { services } = await stackConfig(request);
  const answer = await request.post(`${services.identity}/api/auth/login`, { data: { email, password: PASSWORD } });
  expect(answer.status()).toBe(200);
  return (await answer.json()).accessToken;
}

export async function logIn(page: Page, email: string) {
  await page.goto(`${web()}/login`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
}

/** axe-core finds no serious or critical violation, and the screen is kept as a screenshot. */
export async function checkScreen(page: Page, name: string) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), name).toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0)); // a full-page shot of a scrolled page draws the sticky header mid-page
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
