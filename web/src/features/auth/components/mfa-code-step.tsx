import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorNotice, TextField } from '@/components/ui';
import { isApiError } from '@/lib/api/errors';
import type { MfaChallenge } from '../api/auth';

/** The second step of signing in with two-step sign-in on: the 6-digit code of the authenticator app, or, for a
 * lost phone, one of the recovery codes (``recover``; it turns two-step sign-in off, ``onRecovered``). */
export function MfaCodeStep({ challenge, answer, recover, onSignedIn, onRecovered, onRestart }: {
  challenge: MfaChallenge;
  answer: (challenge: MfaChallenge, code: string) => Promise<unknown>;
  recover: (recoveryCode: string) => Promise<unknown>;
  onSignedIn: () => void;
  onRecovered: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [withRecovery, setWithRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const expired = !withRecovery && isApiError(error) && error.code === 'MFA_SESSION_EXPIRED';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (withRecovery) {
        await recover(code);
        onRecovered();
      } else {
        await answer(challenge, code);
        onSignedIn();
      }
    } catch (e) {
      setError(e);
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  const switchTo = (recovery: boolean) => {
    setWithRecovery(recovery);
    setCode('');
    setError(null);
  };
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="mfa-title">
      <h1 id="mfa-title">{t('twoStep.loginTitle')}</h1>
      {withRecovery
        ? <p>{t('twoStep.recoveryLoginExplain')}</p>
        : <p>{t('twoStep.loginExplain', { minutes: Math.round(challenge.expiresIn / 60) })}</p>}
      {withRecovery
        ? <TextField key="recovery" label={t('twoStep.recoveryCode')} autoComplete="off" autoCapitalize="none"
            spellCheck={false} required autoFocus maxLength={40} value={code}
            onChange={(e) => setCode(e.target.value)} />
        : <TextField key="code" label={t('twoStep.code')} inputMode="numeric" autoComplete="one-time-code" required
            autoFocus pattern="[0-9 ]{6,7}" maxLength={7} value={code} disabled={expired}
            onChange={(e) => setCode(e.target.value)} />}
      <ErrorNotice error={error} />
      {expired
        ? <Button onClick={onRestart}>{t('twoStep.restart')}</Button>
        : <Button type="submit" busy={busy}>{t(withRecovery ? 'twoStep.recoveryLogin' : 'twoStep.confirmLogin')}</Button>}
      <Button variant="ghost" onClick={() => switchTo(!withRecovery)}>
        {t(withRecovery ? 'twoStep.useApp' : 'twoStep.useRecovery')}
      </Button>
      {!expired && <Button variant="ghost" onClick={onRestart}>{t('auth.backToLogin')}</Button>}
    </form>
  );
}
