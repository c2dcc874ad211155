import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorNotice } from '@/components/ui';
import { consentRequest, decideConsent, type ConsentAsk } from '../api/auth';

/** The guardian's page (public: the link's token, in the URL fragment, is the credential). */
export function GuardianConsent({ token }: { token: string }) {
  const { t } = useTranslation();
  const [ask, setAsk] = useState<ConsentAsk | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<'CONSENTED' | 'REFUSED' | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    consentRequest(token).then(setAsk, setError);
  }, [token]);
  const decide = (decision: 'consent' | 'refuse') => {
    setBusy(true);
    decideConsent(token, decision)
      .then((answer) => setDone(answer.consent === 'CONSENTED' ? 'CONSENTED' : 'REFUSED'), setError)
      .finally(() => setBusy(false));
  };
  return (
    <section className="auth-form" aria-labelledby="consent-title">
      <h1 id="consent-title">{t('consent.title')}</h1>
      {ask && !done && (
        <>
          <p>{t('consent.asks', { name: ask.childName, email: ask.childEmail })}</p>
          <Button type="button" busy={busy} onClick={() => decide('consent')}>{t('consent.agree')}</Button>
          <Button type="button" disabled={busy} onClick={() => decide('refuse')}>{t('consent.refuse')}</Button>
        </>
      )}
      {done && <p role="status" className="notice">{t(done === 'CONSENTED' ? 'consent.thanks' : 'consent.refused')}</p>}
      <ErrorNotice error={error} />
    </section>
  );
}
