import { BAND_COLOURS, bandColour, scoreBand } from '../score-colour';

describe('score colouring', () => {
  it('bands scores at 90, 75 and 60', () => {
    expect([100, 90, 89.9, 75, 74, 60, 59.9, 0].map((s) => scoreBand(s))).toEqual(
      ['excellent', 'excellent', 'good', 'good', 'fair', 'fair', 'poor', 'poor']);
  });

  it('marks omissions and insertions whatever their score', () => {
    expect(scoreBand(95, 'omission')).toBe('omitted');
    expect(scoreBand(0, 'insertion')).toBe('inserted');
    expect(scoreBand(40, 'mispronunciation')).toBe('poor');
  });

  it('gives every band a colour readable on white (contrast ≥ 4.5)', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const colour of Object.values(BAND_COLOURS)) {
      expect((1.05 / (luminance(colour) + 0.05))).toBeGreaterThanOrEqual(4.5);
    }
    expect(new Set(Object.values(BAND_COLOURS)).size).toBe(6);
    expect(bandColour(95)).toBe(BAND_COLOURS.excellent);
  });
});
