import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorNotice } from '@/components/ui';
import { withdrawConsent } from '../api/auth';

/** Where the guardian's withdrawal link lands (public: the token in the URL fragment is the credential).
 * Withdrawing erases the child's account, so the page asks once more before it calls identity. */
export function GuardianWithdraw({ token }: { token: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const withdraw = () => {
    setBusy(true);
    setError(null);
    withdrawConsent(token)
      .then(() => setDone(true), setError)
      .finally(() => setBusy(false));
  };
  return (
    <section className="auth-form" aria-labelledby="withdraw-title">
      <h1 id="withdraw-title">{t('consent.withdrawTitle')}</h1>
      {done ? (
        <p role="status" className="notice">{t('consent.withdrawn')}</p>
      ) : (
        <>
          <p>{t('consent.withdrawExplain')}</p>
          <Button type="button" busy={busy} onClick={withdraw}>{t('consent.withdrawAction')}</Button>
        </>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
