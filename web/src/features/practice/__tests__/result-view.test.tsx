import { fireEvent, render, screen, within } from '@testing-library/react';
import '@/lib/i18n';
import type { Evaluation } from '../api/practice';
import { ResultView } from '../components/result-view';
import { BAND_COLOURS } from '../score-colour';

const phone = (phoneme: string, ipa: string, score: number) => ({ phoneme, ipa, score, start: 0.1, end: 0.2 });

const result: Evaluation = {
  referenceText: 'I like coffee', transcribedText: 'I coffee tea', overallScore: 72.4, accuracyScore: 81,
  fluencyScore: 90, completenessScore: 66.7, prosodyScore: null, grade: 'C',
  feedback: { ko: '“like”를 빠뜨렸어요.', en: 'You left out “like”.' }, missedWords: ['like'], extraWords: ['tea'],
  words: [
    { text: 'I', score: 95, errorType: 'none', start: 0.1, end: 0.3, phonemes: [phone('AY', 'aɪ', 95)] },
    { text: 'like', score: 0, errorType: 'omission', start: null, end: null, phonemes: [] },
    { text: 'coffee', score: 58, errorType: 'mispronunciation', start: 0.4, end: 0.9,
      phonemes: [phone('K', 'k', 70), phone('AO', 'ɔ', 40), phone('F', 'f', 62), phone('IY', 'i', 60)] },
    { text: 'tea', score: 0, errorType: 'insertion', start: 1.0, end: 1.2, phonemes: [] },
  ],
  audioDuration: 1.4, speechRate: 120, pauseCount: 0, resultId: 'res-1', audioKey: 'user-audio/x/1.webm',
  createdAt: '2026-12-01T00:00:00Z', sessionId: null,
};

describe('the result view', () => {
  it('shows the overall score, the sub-scores and every word coloured by its band, omissions and insertions marked', () => {
    render(<ResultView result={result} onRetry={() => undefined} />);
    expect(screen.getByRole('figure', { name: '종합 점수: 72' })).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: '완성도' })).toHaveAttribute('aria-valuenow', '67');
    const words = within(screen.getByLabelText('단어별 점수 (눌러서 자세히 보기)')).getAllByRole('button');
    expect(words.map((w) => w.getAttribute('aria-label'))).toEqual(
      ['I: 아주 좋음 95', 'like: 빠뜨림 0', 'coffee: 연습 필요 58', 'tea: 추가됨 0']);
    expect(words[1]).toHaveClass('word-omitted');
    expect(words[3]).toHaveClass('word-inserted');
    expect(words[2]).toHaveStyle({ color: BAND_COLOURS.poor });
    expect(screen.getByText('“like”를 빠뜨렸어요.')).toBeInTheDocument();
  });

  it('opens a word to show its sounds with IPA and score, and try again resets', () => {
    const retry = vi.fn();
    render(<ResultView result={result} onRetry={retry} />);
    fireEvent.click(screen.getByRole('button', { name: 'coffee: 연습 필요 58' }));
    const detail = screen.getByRole('dialog', { name: '“coffee” 발음 상세' });
    const rows = within(detail).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['K/k/70', 'AO/ɔ/40', 'F/f/62', 'IY/i/60']);
    fireEvent.click(within(detail).getByRole('button', { name: '닫기' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '다시 해 보기' }));
    expect(retry).toHaveBeenCalledOnce();
  });
});
