import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate, useNavigationType } from 'react-router-dom';
import { Loading } from '@/components/ui';
import { CONSENT_BANNER_ID, logOut, useSession } from '@/features/auth';
import { NotificationBell } from '@/features/notifications';
import { setLanguage } from '@/lib/i18n';
import { consentPending } from '@/lib/auth-session';
import { useLiveState } from '@/lib/live';

function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'ko' ? 'en' : 'ko';
  return (
    <button type="button" className="btn btn-ghost lang" onClick={() => setLanguage(next)} lang={next}
      aria-label={t('common.switchLanguage')}>
      {next === 'en' ? 'English' : '한국어'}
    </button>
  );
}

/** After the user navigates (not the first load, nor a redirect such as / → /home) focus moves to the main
 * region, so keyboard and screen-reader users start on the new page rather than on the link they left. */
function useFocusOnNavigate() {
  const location = useLocation();
  const navigation = useNavigationType();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (navigation !== 'REPLACE') main.current?.focus({ preventScroll: false });
  }, [location.pathname, navigation]);
  return main;
}

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const live = useLiveState();
  const main = useFocusOnNavigate();
  const tutor = session?.user.role === 'tutor';
  const links = tutor
    ? [['/tutor', t('nav.dashboard')]]
    : [['/home', t('nav.home')], ['/practice', t('nav.practice')], ['/conversation', t('nav.conversation')], ['/progress', t('nav.progress')], ['/tutors', t('nav.tutors')]];
  return (
    <div className="app">
      <a className="skip" href="#main">{t('common.skip')}</a>
      <header className="topbar">
        <NavLink to="/" className="brand">SpeakTracker</NavLink>
        <nav aria-label={t('nav.label')}>
          {links.map(([to, label]) => <NavLink key={to} to={to}>{label}</NavLink>)}
          <NavLink to="/profile">{t('nav.profile')}</NavLink>
        </nav>
        <div className="topbar-tools">
          <span className={`live-dot live-${live}`} title={t(`live.${live}`)} aria-label={t(`live.${live}`)} role="img" />
          <NotificationBell />
          <LanguageToggle />
          <button type="button" className="btn btn-ghost" onClick={() => void logOut().finally(() => navigate('/login'))}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <p className="greeting">{t('nav.hello', { name: session?.user.name })}</p>
        {consentPending(session?.accessToken) && (
          <p role="status" id={CONSENT_BANNER_ID} className="notice consent-pending">{t('consent.pendingBanner')}</p>
        )}
        <Suspense fallback={<Loading />}><Outlet /></Suspense>
      </main>
    </div>
  );
}

export function PublicLayout() {
  const main = useFocusOnNavigate();
  return (
    <div className="public">
      <header className="topbar">
        <span className="brand">SpeakTracker</span>
        <div className="topbar-tools"><LanguageToggle /></div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="auth-main">
        <Suspense fallback={<Loading />}><Outlet /></Suspense>
      </main>
    </div>
  );
}
