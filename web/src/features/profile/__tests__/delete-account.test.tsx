import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18n from 'i18next';
import '@/lib/i18n';
import { ApiError } from '@/lib/api/errors';
import { DeleteAccount } from '../components/delete-account';

function renderWith(onDelete: (password: string) => Promise<void>) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(<QueryClientProvider client={client}><DeleteAccount onDelete={onDelete} /></QueryClientProvider>);
}

describe('deleting my account', () => {
  beforeEach(() => i18n.changeLanguage('ko'));

  it('asks in a dialog for the password before deleting, and cancelling deletes nothing', async () => {
    const onDelete = vi.fn().mockResolvedValue(undefined);
    renderWith(onDelete);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '내 계정 삭제' }));
    const dialog = screen.getByRole('dialog', { name: '정말 계정을 삭제할까요?' });
    const confirm = screen.getByRole('button', { name: '영구 삭제' });
    expect(confirm).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: '취소' }));
    expect(dialog).not.toBeInTheDocument();
    expect(onDelete).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: '내 계정 삭제' }));
    fireEvent.change(screen.getByLabelText('비밀번호'), { target: { value: 'Str0ng!Pass' } });
    fireEvent.click(screen.getByRole('button', { name: '영구 삭제' }));
    await waitFor(() => expect(onDelete).toHaveBeenCalledWith('Str0ng!Pass'));
  });

  it('says so in Korean when the password is wrong, and keeps the dialog open', async () => {
    renderWith(() => Promise.reject(new ApiError(403, 'PASSWORD_WRONG', 'The password is not right')));
    fireEvent.click(screen.getByRole('button', { name: '내 계정 삭제' }));
    fireEvent.change(screen.getByLabelText('비밀번호'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: '영구 삭제' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('비밀번호가 올바르지 않습니다');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
