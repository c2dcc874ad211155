import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PlayIcon } from '@/components/ui/icons';
import type { Evaluation, WordResult } from '../api/practice';
import { bandColour, scoreBand } from '../score-colour';

export function ScoreRing({ score, label }: { score: number; label: string }) {
  const r = 42;
  const circumference = 2 * Math.PI * r;
  const shown = Math.round(score);
  return (
    <figure className="score-ring" aria-label={`${label}: ${shown}`}>
      <svg viewBox="0 0 100 100" width="112" height="112" aria-hidden="true">
        <circle cx="50" cy="50" r={r} fill="none" stroke="#e6e8ef" strokeWidth="10" />
        <circle cx="50" cy="50" r={r} fill="none" stroke={bandColour(score)} strokeWidth="10" strokeLinecap="round"
          strokeDasharray={`${(score / 100) * circumference} ${circumference}`} transform="rotate(-90 50 50)" />
        <text x="50" y="57" textAnchor="middle" fontSize="24" fontWeight="700" fill="#1d2330">{shown}</text>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

function Bar({ label, value }: { label: string; value: number }) {
  return (
    <div className="score-bar">
      <span>{label}</span>
      <div className="bar-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100}
        aria-valuenow={Math.round(value)}>
        <div className="bar-fill" style={{ width: `${value}%`, background: bandColour(value) }} />
      </div>
      <strong>{Math.round(value)}</strong>
    </div>
  );
}

function WordDetail({ word, clipUrl, nativeUrl, onClose }:
  { word: WordResult; clipUrl?: string; nativeUrl?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const mine = useRef<HTMLAudioElement>(null);
  const playMine = () => {
    const audio = mine.current;
    if (!audio || word.start == null || word.end == null) return;
    audio.currentTime = word.start;
    void audio.play();
    const stopAt = word.end;
    audio.ontimeupdate = () => {
      if (audio.currentTime >= stopAt) audio.pause();
    };
  };
  return (
    <div className="word-detail" role="dialog" aria-label={t('practice.wordDetail', { word: word.text })}>
      <header>
        <strong>{word.text}</strong> <span>{Math.round(word.score)}</span>
        <span className={`band band-${scoreBand(word.score, word.errorType)}`}>
          {t(`practice.bands.${scoreBand(word.score, word.errorType)}`)}
        </span>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label={t('common.close')}>✕</button>
      </header>
      {(word.phonemes ?? []).length > 0 ? (
        <table className="phonemes">
          <caption className="sr-only">{t('practice.phonemes')}</caption>
          <thead><tr><th scope="col">{t('practice.sound')}</th><th scope="col">IPA</th><th scope="col">{t('practice.score')}</th></tr></thead>
          <tbody>
            {(word.phonemes ?? []).map((p, i) => (
              <tr key={i}>
                <td>{p.phoneme}</td>
                <td lang="en">/{p.ipa}/</td>
                <td style={{ color: bandColour(p.score) }}>{Math.round(p.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>{t('practice.noPhonemes')}</p>}
      <div className="row">
        {clipUrl && word.start != null && (
          <>
            <audio ref={mine} src={clipUrl} preload="auto" />
            <button type="button" className="btn btn-secondary" onClick={playMine}><PlayIcon />{t('practice.playMine')}</button>
          </>
        )}
        {nativeUrl && (
          <button type="button" className="btn btn-secondary" onClick={() => void new Audio(nativeUrl).play()}>
            <PlayIcon />{t('practice.playNative')}
          </button>
        )}
      </div>
    </div>
  );
}

export function ResultView({ result, clipUrl, nativeUrl, onRetry }:
  { result: Evaluation; clipUrl?: string; nativeUrl?: string; onRetry: () => void }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const word = open === null ? null : result.words[open];
  return (
    <div className="result" aria-live="polite">
      <div className="result-scores">
        <ScoreRing score={result.overallScore} label={t('practice.overall')} />
        <div className="bars">
          <Bar label={t('practice.accuracy')} value={result.accuracyScore} />
          <Bar label={t('practice.fluency')} value={result.fluencyScore} />
          <Bar label={t('practice.completeness')} value={result.completenessScore} />
        </div>
      </div>
      <p className="words" lang="en" aria-label={t('practice.wordsLabel')}>
        {result.words.map((w, i) => {
          const band = scoreBand(w.score, w.errorType);
          return (
            <button key={i} type="button" className={`word word-${band}`} style={{ color: bandColour(w.score, w.errorType) }}
              aria-label={`${w.text}: ${t(`practice.bands.${band}`)} ${Math.round(w.score)}`}
              aria-expanded={open === i} onClick={() => setOpen(open === i ? null : i)}>
              {w.text}
            </button>
          );
        })}
      </p>
      <p className="legend">
        {(['excellent', 'good', 'fair', 'poor', 'omitted', 'inserted'] as const).map((b) => (
          <span key={b} className={`word-${b}`} style={{ color: bandColour(b === 'omitted' || b === 'inserted' ? 0 :
            { excellent: 95, good: 80, fair: 65, poor: 30 }[b], b === 'omitted' ? 'omission' : b === 'inserted' ? 'insertion' : 'none') }}>
            {t(`practice.bands.${b}`)}
          </span>
        ))}
      </p>
      {word && <WordDetail word={word} clipUrl={clipUrl} nativeUrl={nativeUrl} onClose={() => setOpen(null)} />}
      <p className="feedback">{i18n.language === 'en' ? result.feedback.en : result.feedback.ko}</p>
      {result.transcribedText && <p className="heard">{t('practice.heard')}: <span lang="en">{result.transcribedText}</span></p>}
      <button type="button" className="btn btn-secondary" onClick={onRetry}>{t('practice.tryAgain')}</button>
    </div>
  );
}
