import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18n from 'i18next';
import { MemoryRouter } from 'react-router-dom';
import '@/lib/i18n';
import { needsGuardian } from '../api/auth';
import * as api from '../api/auth';
import { ApiError } from '@/lib/api/errors';
import { SignupForm } from '../components/auth-forms';
import { GuardianConsent } from '../components/guardian-consent';
import { GuardianWithdraw } from '../components/guardian-withdraw';

describe("children's sign-up", () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('reads the consent age as identity does: the youngest age the birth year allows', () => {
    expect(needsGuardian('student', 2013, 2027)).toBe(true); // may still be 13
    expect(needsGuardian('student', 2012, 2027)).toBe(false);
    expect(needsGuardian('tutor', 2020, 2027)).toBe(false);
    expect(needsGuardian('student', Number.NaN, 2027)).toBe(false);
  });

  it("asks a child's guardian email and sends it with the birth year", async () => {
    const signUp = vi.spyOn(api, 'signUp').mockResolvedValue({} as never);
    render(<MemoryRouter><SignupForm /></MemoryRouter>);
    expect(screen.queryByLabelText(/보호자 이메일/)).toBeNull();
    fireEvent.change(screen.getByLabelText(/이름/), { target: { value: 'Minji Kim' } });
    fireEvent.change(screen.getByLabelText(/이메일/), { target: { value: 'kid@example.com' } });
    fireEvent.change(screen.getByLabelText(/비밀번호/), { target: { value: 'Str0ng!Pass' } });
    fireEvent.change(screen.getByLabelText(/출생 연도/), { target: { value: String(new Date().getFullYear() - 10) } });
    fireEvent.change(screen.getByLabelText(/보호자 이메일/), { target: { value: 'mum@example.com' } });
    fireEvent.submit(screen.getByRole('button', { name: '가입하기' }).closest('form')!);
    await waitFor(() => expect(signUp).toHaveBeenCalled());
    expect(signUp.mock.calls[0][0]).toMatchObject({
      birthYear: new Date().getFullYear() - 10, guardianEmail: 'mum@example.com', role: 'student',
    });
  });
});

describe("the guardian's consent page", () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('shows who asks and records the consent', async () => {
    vi.spyOn(api, 'consentRequest').mockResolvedValue(
      { childName: 'Minji Kim', childEmail: 'kid@example.com', consent: 'PENDING_CONSENT' } as never);
    const decide = vi.spyOn(api, 'decideConsent').mockResolvedValue({ consent: 'CONSENTED', message: '' } as never);
    render(<GuardianConsent token="abc.def" />);
    expect(await screen.findByText(/Minji Kim \(kid@example.com\)/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '동의합니다' }));
    expect(await screen.findByRole('status')).toHaveTextContent('동의해 주셔서 감사합니다');
    expect(decide).toHaveBeenCalledWith('abc.def', 'consent');
  });
});

describe("the guardian's withdrawal page", () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('says what withdrawing erases and withdraws only when asked', async () => {
    const withdraw = vi.spyOn(api, 'withdrawConsent').mockResolvedValue({ consent: 'WITHDRAWN', message: '' } as never);
    render(<GuardianWithdraw token="abc.def" />);
    expect(screen.getByText(/되돌릴 수 없습니다/)).toBeInTheDocument();
    expect(withdraw).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '동의 철회 및 계정 삭제' }));
    expect(await screen.findByRole('status')).toHaveTextContent('동의가 철회되었습니다');
    expect(withdraw).toHaveBeenCalledWith('abc.def');
  });

  it('shows why a used or expired link did nothing', async () => {
    vi.spyOn(api, 'withdrawConsent').mockRejectedValue(new ApiError(409, 'CONSENT_LINK_USED', 'This link has been used already.'));
    render(<GuardianWithdraw token="abc.def" />);
    fireEvent.click(screen.getByRole('button', { name: '동의 철회 및 계정 삭제' }));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(await screen.findByText('이미 사용된 링크입니다.')).toBeInTheDocument();
  });
});

describe('the pending-consent banner', () => {
  const token = (claims: object) => `h.${btoa(JSON.stringify(claims))}.s`;
  it("follows the access token's group, so a refresh after consent lifts it", async () => {
    const { consentPending } = await import('@/lib/auth-session');
    expect(consentPending(token({ 'cognito:groups': ['student', 'consent-pending'] }))).toBe(true);
    expect(consentPending(token({ 'cognito:groups': ['student'] }))).toBe(false);
    expect(consentPending('garbage')).toBe(false);
    expect(consentPending(undefined)).toBe(false);
  });
});
