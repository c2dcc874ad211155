import { chooseRecordingType, initialRecording, MAX_RECORDING_MS, microphoneError, recordingReducer, rmsLevel,
  type RecordingEvent, type RecordingState } from '@/lib/recording/recording-machine';

const run = (events: RecordingEvent[], from: RecordingState = initialRecording) => events.reduce(recordingReducer, from);

describe('the recording state machine', () => {
  it('goes from a granted microphone through upload and scoring to a score', () => {
    const states = [{ type: 'request' }, { type: 'granted', at: 1000 }, { type: 'level', level: 0.3 },
      { type: 'stopped', at: 3500 }, { type: 'uploaded' }, { type: 'scored' }] as RecordingEvent[];
    const phases = states.map((_, i) => run(states.slice(0, i + 1)).phase);
    expect(phases).toEqual(['requesting', 'recording', 'recording', 'uploading', 'scoring', 'scored']);
    expect(run(states)).toEqual({ phase: 'scored', durationMs: 2500 });
  });

  it('keeps the loudest level of the take', () => {
    const state = run([{ type: 'request' }, { type: 'granted', at: 0 }, { type: 'level', level: 0.4 },
      { type: 'level', level: 0.1 }]);
    expect(state).toMatchObject({ phase: 'recording', level: 0.1, peak: 0.4 });
  });

  it('refuses a take that is too short, before anything is uploaded', () => {
    const state = run([{ type: 'request' }, { type: 'granted', at: 0 }, { type: 'level', level: 0.5 },
      { type: 'stopped', at: 300 }]);
    expect(state).toEqual({ phase: 'error', error: 'tooShort' });
  });

  it('refuses silence', () => {
    const state = run([{ type: 'request' }, { type: 'granted', at: 0 }, { type: 'level', level: 0.005 },
      { type: 'stopped', at: 4000 }]);
    expect(state).toEqual({ phase: 'error', error: 'silence' });
  });

  it('caps the duration at 30 s', () => {
    const state = run([{ type: 'request' }, { type: 'granted', at: 0 }, { type: 'level', level: 0.5 },
      { type: 'stopped', at: 45_000 }]);
    expect(state).toEqual({ phase: 'uploading', durationMs: MAX_RECORDING_MS });
  });

  it('says a denied microphone is denied, and a missing one missing', () => {
    expect(microphoneError(new DOMException('no', 'NotAllowedError'))).toBe('micDenied');
    expect(microphoneError(new DOMException('none', 'NotFoundError'))).toBe('micMissing');
    expect(microphoneError(new Error('boom'))).toBe('failed');
    expect(run([{ type: 'request' }, { type: 'refused', error: 'micDenied' }])).toEqual({ phase: 'error', error: 'micDenied' });
  });

  it('ignores a second start while busy and a late level after stopping', () => {
    const uploading = run([{ type: 'request' }, { type: 'granted', at: 0 }, { type: 'level', level: 0.5 },
      { type: 'stopped', at: 2000 }]);
    expect(recordingReducer(uploading, { type: 'request' })).toBe(uploading);
    expect(recordingReducer(uploading, { type: 'level', level: 0.9 })).toBe(uploading);
  });

  it('turns a failed upload or scoring into an error that can be retried', () => {
    const failed = run([{ type: 'request' }, { type: 'granted', at: 0 }, { type: 'level', level: 0.5 },
      { type: 'stopped', at: 2000 }, { type: 'failed', detail: 'x' }]);
    expect(failed).toEqual({ phase: 'error', error: 'failed', detail: 'x' });
    expect(recordingReducer(failed, { type: 'request' })).toEqual({ phase: 'requesting' });
  });
});

describe('choosing the recording format', () => {
  it('takes the first supported container, preferring Opus in WebM', () => {
    expect(chooseRecordingType(() => true)).toBe('audio/webm;codecs=opus');
    expect(chooseRecordingType((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(chooseRecordingType(() => false)).toBeNull();
  });
});

describe('the level meter', () => {
  it('is 0 for silence and grows with amplitude', () => {
    expect(rmsLevel(new Uint8Array(64).fill(128))).toBe(0);
    const loud = Uint8Array.from({ length: 64 }, (_, i) => (i % 2 ? 228 : 28));
    expect(rmsLevel(loud)).toBeCloseTo(100 / 128, 5);
  });
});
