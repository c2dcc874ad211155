import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorNotice, TextField } from '@/components/ui';
import { isApiError } from '@/lib/api/errors';
import type { MfaChallenge } from '../api/auth';

/** The second step of signing in with two-step sign-in on: the 6-digit code of the authenticator app. */
export function MfaCodeStep({ challenge, answer, onSignedIn, onRestart }: {
  challenge: MfaChallenge;
  answer: (challenge: MfaChallenge, code: string) => Promise<unknown>;
  onSignedIn: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const expired = isApiError(error) && error.code === 'MFA_SESSION_EXPIRED';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await answer(challenge, code);
      onSignedIn();
    } catch (e) {
      setError(e);
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="mfa-title">
      <h1 id="mfa-title">{t('twoStep.loginTitle')}</h1>
      <p>{t('twoStep.loginExplain', { minutes: Math.round(challenge.expiresIn / 60) })}</p>
      <TextField label={t('twoStep.code')} inputMode="numeric" autoComplete="one-time-code" required autoFocus
        pattern="[0-9 ]{6,7}" maxLength={7} value={code} disabled={expired}
        onChange={(e) => setCode(e.target.value)} />
      <ErrorNotice error={error} />
      {expired
        ? <Button onClick={onRestart}>{t('twoStep.restart')}</Button>
        : <Button type="submit" busy={busy}>{t('twoStep.confirmLogin')}</Button>}
      {!expired && <Button variant="ghost" onClick={onRestart}>{t('auth.backToLogin')}</Button>}
    </form>
  );
}
