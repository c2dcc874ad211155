import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Card, ErrorNotice, TextField } from '@/components/ui';

/** "Delete my account": a confirmation dialog that says what goes and asks for the password again. */
export function DeleteAccount({ onDelete }: { onDelete: (password: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const remove = useMutation({ mutationFn: () => onDelete(password) });
  const close = () => { setOpen(false); setPassword(''); remove.reset(); };
  return (
    <Card title={t('profile.deleteTitle')}>
      <p>{t('profile.deleteIntro')}</p>
      <Button variant="danger" onClick={() => setOpen(true)}>{t('profile.deleteAction')}</Button>
      {open && (
        <div className="confirm-dialog" role="dialog" aria-modal="true" aria-labelledby="delete-account-title">
          <h2 id="delete-account-title">{t('profile.deleteConfirmTitle')}</h2>
          <p>{t('profile.deleteWarning')}</p>
          <form className="stack" onSubmit={(e) => { e.preventDefault(); remove.mutate(); }}>
            <TextField label={t('auth.password')} type="password" autoComplete="current-password" required
              value={password} onChange={(e) => setPassword(e.target.value)} />
            <ErrorNotice error={remove.error} />
            <div className="row wrap">
              <Button type="submit" variant="danger" busy={remove.isPending} disabled={!password}>
                {t('profile.deleteConfirm')}
              </Button>
              <Button variant="secondary" onClick={close}>{t('common.cancel')}</Button>
            </div>
          </form>
        </div>
      )}
    </Card>
  );
}
