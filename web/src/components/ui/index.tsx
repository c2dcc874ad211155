import { useId, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes,
  type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/lib/api/errors';

export function Button({ variant = 'primary', busy, children, ...rest }:
  ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; busy?: boolean }) {
  return (
    <button type="button" {...rest} className={`btn btn-${variant} ${rest.className ?? ''}`}
      disabled={rest.disabled || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

type FieldProps = { label: string; hint?: string; error?: string };

export function TextField({ label, hint, error, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={hint || error ? `${id}-d` : undefined}
        {...input} />
      {(hint || error) && <p id={`${id}-d`} className={error ? 'field-error' : 'field-hint'}>{error ?? hint}</p>}
    </div>
  );
}

export function TextArea({ label, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={hint ? `${id}-d` : undefined} {...input} />
      {hint && <p id={`${id}-d`} className="field-hint">{hint}</p>}
    </div>
  );
}

export function Select({ label, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>{children}</select>
    </div>
  );
}

/** An error from a service, in the user's language by its code (the server's message when the code is new). */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (isApiError(error)) return t(`errors.${error.code}`, { defaultValue: error.message });
    if (error instanceof Error) return t(`errors.${error.message}`, { defaultValue: t('errors.UNKNOWN') });
    return t('errors.UNKNOWN');
  };
}

export function ErrorNotice({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  const requestId = isApiError(error) ? error.requestId : undefined;
  return (
    <div role="alert" className="notice notice-error">
      <span>{text(error)}</span>
      {requestId && <small className="request-id"> ({requestId})</small>}
    </div>
  );
}

export function Card({ title, children, actions, className }:
  { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <p className="loading" role="status">{t('common.loading')}</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
