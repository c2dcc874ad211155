import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18n from 'i18next';
import '@/lib/i18n';
import { ApiError } from '@/lib/api/errors';
import type { MfaChallenge } from '../api/auth';
import { MfaCodeStep } from '../components/mfa-code-step';

const CHALLENGE: MfaChallenge = { mfaRequired: true, email: 'kim@example.com', session: 's'.repeat(40), expiresIn: 180 };

function renderStep(
  answer: (c: MfaChallenge, code: string) => Promise<unknown>,
  recover: (code: string) => Promise<unknown> = vi.fn(),
) {
  const onSignedIn = vi.fn();
  const onRecovered = vi.fn();
  const onRestart = vi.fn();
  render(<MfaCodeStep challenge={CHALLENGE} answer={answer} recover={recover} onSignedIn={onSignedIn}
    onRecovered={onRecovered} onRestart={onRestart} />);
  return { onSignedIn, onRecovered, onRestart };
}

describe('signing in with the code', () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('asks for the 6-digit code within the minutes the sign-in allows and signs in with it', async () => {
    const answer = vi.fn().mockResolvedValue({});
    const { onSignedIn } = renderStep(answer);
    expect(screen.getByRole('heading', { name: '2단계 로그인' })).toBeInTheDocument();
    expect(screen.getByText(/3분 안에 입력하세요/)).toBeInTheDocument();
    const field = screen.getByLabelText('인증 앱의 6자리 코드');
    expect(field).toHaveAttribute('autocomplete', 'one-time-code');
    expect(field).toHaveAttribute('inputmode', 'numeric');
    fireEvent.change(field, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '로그인' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledOnce());
    expect(answer).toHaveBeenCalledWith(CHALLENGE, '123456');
  });

  it('a wrong code says so and lets the person try again', async () => {
    const { onSignedIn } = renderStep(vi.fn().mockRejectedValue(new ApiError(400, 'MFA_CODE_INVALID', 'wrong')));
    fireEvent.change(screen.getByLabelText('인증 앱의 6자리 코드'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: '로그인' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('코드가 올바르지 않습니다');
    expect(screen.getByRole('button', { name: '로그인' })).toBeEnabled();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('an expired sign-in sends the person back to the password', async () => {
    const { onRestart } = renderStep(vi.fn().mockRejectedValue(new ApiError(401, 'MFA_SESSION_EXPIRED', 'expired')));
    fireEvent.change(screen.getByLabelText('인증 앱의 6자리 코드'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '로그인' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('로그인 시간이 지났습니다');
    fireEvent.click(screen.getByRole('button', { name: '처음부터 다시 로그인' }));
    expect(onRestart).toHaveBeenCalledOnce();
  });

  it('a lost phone: "use a recovery code" signs in with one and goes on to set two-step sign-in up again', async () => {
    const answer = vi.fn();
    const recover = vi.fn().mockRejectedValueOnce(new ApiError(400, 'RECOVERY_CODE_INVALID', 'no')).mockResolvedValue({});
    const { onSignedIn, onRecovered } = renderStep(answer, recover);
    fireEvent.click(screen.getByRole('button', { name: '휴대폰을 잃어버렸나요? 복구 코드 사용' }));
    expect(screen.queryByLabelText('인증 앱의 6자리 코드')).not.toBeInTheDocument();
    const field = screen.getByLabelText('복구 코드');
    fireEvent.change(field, { target: { value: 'abcde-fghjk' } });
    fireEvent.click(screen.getByRole('button', { name: '복구 코드로 로그인' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('이미 사용한 코드입니다');
    fireEvent.change(screen.getByLabelText('복구 코드'), { target: { value: 'mnpqr-stuvw' } });
    fireEvent.click(screen.getByRole('button', { name: '복구 코드로 로그인' }));
    await waitFor(() => expect(onRecovered).toHaveBeenCalledOnce());
    expect(recover).toHaveBeenLastCalledWith('mnpqr-stuvw');
    expect(answer).not.toHaveBeenCalled();
    expect(onSignedIn).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '인증 앱의 코드 사용' }));
    expect(screen.getByLabelText('인증 앱의 6자리 코드')).toBeInTheDocument();
  });
});
