import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, ErrorNotice, TextField } from '@/components/ui';
import { isApiError } from '@/lib/api/errors';
import {
  answerMfa, confirmEmail, forgotPassword, logIn, needsGuardian, recoverWithCode, resendCode, resetPassword, signUp,
  type MfaChallenge, type RoleChoice,
} from '../api/auth';
import { MfaCodeStep } from './mfa-code-step';

function useSubmit<T>(action: () => Promise<T>, done: (value: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      done(await action());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

export function LoginForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const home = () => navigate('/', { replace: true });
  const { busy, error, submit } = useSubmit(() => logIn({ email, password }),
    (result) => ('mfa' in result ? setChallenge(result.mfa) : home()));
  const unconfirmed = isApiError(error) && error.code === 'EMAIL_NOT_CONFIRMED';
  if (challenge) {
    return <MfaCodeStep challenge={challenge} answer={answerMfa} onSignedIn={home}
      recover={(recoveryCode) => recoverWithCode({ email, password, recoveryCode })}
      onRecovered={() => navigate('/profile?twoStep=recovered', { replace: true })}
      onRestart={() => { setChallenge(null); setPassword(''); }} />;
  }
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.loginTitle')}</h1>
      <TextField label={t('auth.email')} type="email" autoComplete="email" required value={email}
        onChange={(e) => setEmail(e.target.value)} />
      <TextField label={t('auth.password')} type="password" autoComplete="current-password" required
        value={password} onChange={(e) => setPassword(e.target.value)} />
      <ErrorNotice error={error} />
      {unconfirmed && <Link to={`/confirm?email=${encodeURIComponent(email)}`}>{t('auth.goConfirm')}</Link>}
      <Button type="submit" busy={busy}>{t('auth.login')}</Button>
      <p className="auth-links">
        <Link to="/signup">{t('auth.noAccount')}</Link> · <Link to="/forgot">{t('auth.forgot')}</Link>
      </p>
    </form>
  );
}

export function SignupForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    email: '', password: '', name: '', role: 'student' as RoleChoice, birthYear: '', guardianEmail: '',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const year = Number.parseInt(form.birthYear, 10);
  const guardian = needsGuardian(form.role, year);
  const { busy, error, submit } = useSubmit(
    () => signUp({
      email: form.email, password: form.password, name: form.name, role: form.role, birthYear: year,
      ...(guardian ? { guardianEmail: form.guardianEmail } : {}),
    }),
    () => navigate(`/confirm?email=${encodeURIComponent(form.email)}`));
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="signup-title">
      <h1 id="signup-title">{t('auth.signupTitle')}</h1>
      <TextField label={t('auth.name')} autoComplete="name" required value={form.name} onChange={set('name')} />
      <TextField label={t('auth.email')} type="email" autoComplete="email" required value={form.email}
        onChange={set('email')} />
      <TextField label={t('auth.password')} type="password" autoComplete="new-password" required
        hint={t('auth.passwordRule')} value={form.password} onChange={set('password')} />
      <fieldset className="role-choice">
        <legend>{t('auth.role')}</legend>
        {(['student', 'tutor'] as const).map((role) => (
          <label key={role}>
            <input type="radio" name="role" value={role} checked={form.role === role} onChange={set('role')} />
            {t(`auth.roles.${role}`)}
          </label>
        ))}
      </fieldset>
      <TextField label={t('auth.birthYear')} type="number" inputMode="numeric" required min={1900}
        max={new Date().getFullYear()} hint={t(form.role === 'tutor' ? 'auth.tutorAdult' : 'auth.birthYearHint')}
        value={form.birthYear} onChange={set('birthYear')} />
      {guardian && (
        <TextField label={t('auth.guardianEmail')} type="email" required hint={t('auth.guardianHint')}
          value={form.guardianEmail} onChange={set('guardianEmail')} />
      )}
      <ErrorNotice error={error} />
      <Button type="submit" busy={busy}>{t('auth.signup')}</Button>
      <p className="auth-links"><Link to="/login">{t('auth.haveAccount')}</Link></p>
    </form>
  );
}

export function ConfirmForm({ mailboxUrl }: { mailboxUrl?: (email: string) => string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const { busy, error, submit } = useSubmit(() => confirmEmail({ email, code: code.trim() }),
    () => navigate(`/login?email=${encodeURIComponent(email)}&confirmed=1`));
  const [resendError, setResendError] = useState<unknown>(null);
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{t('auth.confirmTitle')}</h1>
      <p>{t('auth.confirmHelp')}</p>
      {mailboxUrl && email && (
        <p className="notice">
          {t('auth.devMailbox')} <a href={mailboxUrl(email)} target="_blank" rel="noreferrer">{t('auth.openMailbox')}</a>
        </p>
      )}
      <TextField label={t('auth.email')} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <TextField label={t('auth.code')} inputMode="numeric" autoComplete="one-time-code" pattern="\s*\d{6}\s*"
        required value={code} onChange={(e) => setCode(e.target.value)} />
      <ErrorNotice error={error ?? resendError} />
      {resent && <p role="status" className="notice">{t('auth.codeResent')}</p>}
      <Button type="submit" busy={busy}>{t('auth.confirm')}</Button>
      <Button variant="ghost" onClick={() => {
        setResendError(null);
        resendCode(email).then(() => setResent(true), setResendError);
      }}>{t('auth.resend')}</Button>
    </form>
  );
}

export function ForgotForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const { busy, error, submit } = useSubmit(() => forgotPassword(email),
    () => navigate(`/reset?email=${encodeURIComponent(email)}`));
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t('auth.forgotTitle')}</h1>
      <TextField label={t('auth.email')} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <ErrorNotice error={error} />
      <Button type="submit" busy={busy}>{t('auth.sendResetCode')}</Button>
      <p className="auth-links"><Link to="/login">{t('auth.backToLogin')}</Link></p>
    </form>
  );
}

export function ResetForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ email: params.get('email') ?? '', code: '', newPassword: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const { busy, error, submit } = useSubmit(() => resetPassword({ ...form, code: form.code.trim() }),
    () => navigate(`/login?email=${encodeURIComponent(form.email)}`));
  return (
    <form onSubmit={submit} className="auth-form" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('auth.resetTitle')}</h1>
      <TextField label={t('auth.email')} type="email" required value={form.email} onChange={set('email')} />
      <TextField label={t('auth.code')} inputMode="numeric" required value={form.code} onChange={set('code')} />
      <TextField label={t('auth.newPassword')} type="password" autoComplete="new-password" required
        hint={t('auth.passwordRule')} value={form.newPassword} onChange={set('newPassword')} />
      <ErrorNotice error={error} />
      <Button type="submit" busy={busy}>{t('auth.resetPassword')}</Button>
    </form>
  );
}

