import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18n from 'i18next';
import '@/lib/i18n';
import { ApiError } from '@/lib/api/errors';
import { twoStepKey, type TwoStepApi } from '../api/two-step';
import { TwoStepCard } from '../components/two-step-card';

const SETUP = {
  secret: 'JBSWY3DPEHPK3PXP',
  otpauthUri: 'otpauth://totp/SpeakTracker:kim@example.com?secret=JBSWY3DPEHPK3PXP&issuer=SpeakTracker',
};

const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-fghj${i}`);

function fakeApi(enabled: boolean, overrides: Partial<TwoStepApi> = {}): TwoStepApi {
  return {
    status: vi.fn().mockResolvedValue({ enabled }),
    start: vi.fn().mockResolvedValue(SETUP),
    confirm: vi.fn().mockResolvedValue({ enabled: true, recoveryCodes: CODES }),
    turnOff: vi.fn().mockResolvedValue({ enabled: false }),
    ...overrides,
  };
}

function renderCard(api: TwoStepApi, recovered = false) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(<QueryClientProvider client={client}><TwoStepCard api={api} recovered={recovered} /></QueryClientProvider>);
}

describe('two-step sign-in card', () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('sets it up: shows the QR code and the key, asks for the first code, then says it is on', async () => {
    const api = fakeApi(false);
    renderCard(api);
    fireEvent.click(await screen.findByRole('button', { name: '2단계 로그인 설정' }));
    const qr = await screen.findByRole('img', { name: '인증 앱에 등록할 QR 코드' });
    expect(qr.tagName.toLowerCase()).toBe('svg');
    expect(qr.querySelectorAll('path').length).toBeGreaterThan(0);
    expect(screen.getByTestId('two-step-secret')).toHaveTextContent('JBSW Y3DP EHPK 3PXP');
    fireEvent.change(screen.getByLabelText('인증 앱의 6자리 코드'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: '확인하고 켜기' }));
    await waitFor(() => expect(api.confirm).toHaveBeenCalledWith('123 456'));
    expect(await screen.findByRole('status')).toHaveTextContent('2단계 로그인이 켜졌습니다');
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '2단계 로그인 끄기' })).toBeInTheDocument();
  });

  it('a wrong first code says so in Korean and keeps the QR code to try again', async () => {
    const api = fakeApi(false, {
      confirm: vi.fn().mockRejectedValue(new ApiError(400, 'MFA_CODE_INVALID', 'The code is not right')),
    });
    renderCard(api);
    fireEvent.click(await screen.findByRole('button', { name: '2단계 로그인 설정' }));
    fireEvent.change(await screen.findByLabelText('인증 앱의 6자리 코드'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: '확인하고 켜기' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('코드가 올바르지 않습니다');
    expect(screen.getByRole('img', { name: '인증 앱에 등록할 QR 코드' })).toBeInTheDocument();
    expect(screen.getByLabelText('인증 앱의 6자리 코드')).toHaveValue('');
  });

  it('turns it off with the password, and a wrong password leaves it on', async () => {
    const turnOff = vi.fn()
      .mockRejectedValueOnce(new ApiError(403, 'PASSWORD_WRONG', 'The password is not right'))
      .mockResolvedValueOnce({ enabled: false });
    renderCard(fakeApi(true, { turnOff }));
    fireEvent.click(await screen.findByRole('button', { name: '2단계 로그인 끄기' }));
    const off = screen.getByRole('button', { name: '끄기' });
    expect(off).toBeDisabled();
    fireEvent.change(screen.getByLabelText('비밀번호'), { target: { value: 'wrong' } });
    fireEvent.click(off);
    expect(await screen.findByRole('alert')).toHaveTextContent('2단계 로그인은 켜진 상태입니다');
    expect(turnOff).toHaveBeenLastCalledWith({ password: 'wrong' });
    fireEvent.change(screen.getByLabelText('비밀번호'), { target: { value: 'Str0ng!Pass' } });
    fireEvent.click(screen.getByRole('button', { name: '끄기' }));
    expect(await screen.findByRole('status')).toHaveTextContent('2단계 로그인이 꺼졌습니다');
    expect(screen.getByRole('button', { name: '2단계 로그인 설정' })).toBeInTheDocument();
  });

  it('turns it off with a current code instead of the password', async () => {
    const api = fakeApi(true);
    renderCard(api);
    fireEvent.click(await screen.findByRole('button', { name: '2단계 로그인 끄기' }));
    fireEvent.change(screen.getByLabelText('또는 인증 앱의 코드'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: '끄기' }));
    await waitFor(() => expect(api.turnOff).toHaveBeenCalledWith({ code: '654321' }));
  });

  it('shows the ten recovery codes once after turning it on, to copy, until the person says they saved them', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    renderCard(fakeApi(false));
    fireEvent.click(await screen.findByRole('button', { name: '2단계 로그인 설정' }));
    fireEvent.change(await screen.findByLabelText('인증 앱의 6자리 코드'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '확인하고 켜기' }));
    const list = await screen.findByTestId('recovery-codes');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual(CODES);
    expect(screen.getByRole('heading', { name: '복구 코드' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '코드 복사' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(CODES.join('\n')));
    expect(await screen.findByRole('button', { name: '복사했습니다' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '보관했습니다' }));
    expect(screen.queryByTestId('recovery-codes')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '2단계 로그인 끄기' })).toBeInTheDocument();
  });

  it('after a recovery-code sign-in it says two-step sign-in is off and asks to set it up again', async () => {
    // The tab still remembers "on" from before the sign-in (the app keeps answers for 30 s): the card asks again.
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } });
    client.setQueryData(twoStepKey, { enabled: true });
    render(<QueryClientProvider client={client}><TwoStepCard api={fakeApi(false)} recovered /></QueryClientProvider>);
    expect(await screen.findByRole('alert')).toHaveTextContent('새 휴대폰으로 다시 설정하세요');
    expect(screen.getByRole('button', { name: '2단계 로그인 설정' })).toBeInTheDocument();
  });
});
