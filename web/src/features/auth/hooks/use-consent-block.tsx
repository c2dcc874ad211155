import { useTranslation } from 'react-i18next';
import { consentPending } from '@/lib/auth-session';
import { useSession } from './use-session';

/** The banner that says why (the layout shows it at the top of every screen while consent is pending). */
export const CONSENT_BANNER_ID = 'consent-pending-banner';

/**
 * While a child's guardian has not consented, the services refuse recording, conversations and tutor requests
 * (403 GUARDIAN_CONSENT_REQUIRED). A control for one of them is disabled, and says why: the banner's words as
 * its title and description, and beside it in `ConsentNote`.
 */
export function useConsentBlock() {
  const { t } = useTranslation();
  const blocked = consentPending(useSession()?.accessToken);
  return {
    blocked,
    reason: blocked ? t('consent.pendingBanner') : undefined,
    /** Spread onto a blocked control (its own `disabled` still applies: `disabled={blocked || ...}`). */
    describe: blocked ? { title: t('consent.pendingBanner'), 'aria-describedby': CONSENT_BANNER_ID } : {},
  };
}

/** A short word next to the controls it disables, pointing at the banner (which may be scrolled away on a phone). */
export function ConsentNote() {
  const { t } = useTranslation();
  const { blocked } = useConsentBlock();
  return blocked ? <p className="muted consent-note" data-testid="consent-note">{t('consent.blockedNote')}</p> : null;
}
