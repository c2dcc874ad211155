// How a word's score reads at a glance (the colour is never the only signal: each band has a label too).
export type ScoreBand = 'excellent' | 'good' | 'fair' | 'poor' | 'omitted' | 'inserted';
export type ErrorType = 'none' | 'omission' | 'insertion' | 'mispronunciation';

export function scoreBand(score: number, errorType: ErrorType = 'none'): ScoreBand {
  if (errorType === 'omission') return 'omitted';
  if (errorType === 'insertion') return 'inserted';
  if (score >= 90) return 'excellent';
  if (score >= 75) return 'good';
  if (score >= 60) return 'fair';
  return 'poor';
}

/** Colours with at least 4.5:1 contrast on white (WCAG AA for text). */
export const BAND_COLOURS: Record<ScoreBand, string> = {
  excellent: '#0b7a3e',
  good: '#2b6a9e',
  fair: '#9a5b00',
  poor: '#c0261b',
  omitted: '#5f6368',
  inserted: '#7b3fa0',
};

export function bandColour(score: number, errorType: ErrorType = 'none'): string {
  return BAND_COLOURS[scoreBand(score, errorType)];
}
