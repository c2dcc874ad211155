// The recording state machine, plain so it is tested without a browser:
// idle → requesting → recording → (checking) → uploading → scoring → scored, with an error from any step.
export const MAX_RECORDING_MS = 30_000;
export const MIN_RECORDING_MS = 700;
/** Peak RMS level (0..1) below which a take counts as silence. */
export const SILENCE_LEVEL = 0.02;

export type RecordingError = 'micDenied' | 'micMissing' | 'unsupported' | 'silence' | 'tooShort' | 'failed';

export type RecordingState =
  | { phase: 'idle' }
  | { phase: 'requesting' }
  | { phase: 'recording'; startedAt: number; level: number; peak: number }
  | { phase: 'uploading'; durationMs: number }
  | { phase: 'scoring'; durationMs: number }
  | { phase: 'scored'; durationMs: number }
  | { phase: 'error'; error: RecordingError; detail?: unknown };

export type RecordingEvent =
  | { type: 'request' }
  | { type: 'granted'; at: number }
  | { type: 'refused'; error: RecordingError }
  | { type: 'level'; level: number }
  | { type: 'stopped'; at: number }
  | { type: 'uploaded' }
  | { type: 'scored' }
  | { type: 'failed'; detail: unknown }
  | { type: 'reset' };

export const initialRecording: RecordingState = { phase: 'idle' };

export function recordingReducer(state: RecordingState, event: RecordingEvent): RecordingState {
  switch (event.type) {
    case 'request':
      return state.phase === 'recording' || state.phase === 'uploading' || state.phase === 'scoring'
        ? state : { phase: 'requesting' };
    case 'granted':
      return state.phase === 'requesting' ? { phase: 'recording', startedAt: event.at, level: 0, peak: 0 } : state;
    case 'refused':
      return { phase: 'error', error: event.error };
    case 'level':
      return state.phase === 'recording'
        ? { ...state, level: event.level, peak: Math.max(state.peak, event.level) } : state;
    case 'stopped': {
      if (state.phase !== 'recording') return state;
      const durationMs = Math.min(event.at - state.startedAt, MAX_RECORDING_MS);
      if (durationMs < MIN_RECORDING_MS) return { phase: 'error', error: 'tooShort' };
      if (state.peak < SILENCE_LEVEL) return { phase: 'error', error: 'silence' };
      return { phase: 'uploading', durationMs };
    }
    case 'uploaded':
      return state.phase === 'uploading' ? { phase: 'scoring', durationMs: state.durationMs } : state;
    case 'scored':
      return state.phase === 'scoring' ? { phase: 'scored', durationMs: state.durationMs } : state;
    case 'failed':
      return { phase: 'error', error: 'failed', detail: event.detail };
    case 'reset':
      return initialRecording;
  }
}

/** What getUserMedia's rejection means for the learner. */
export function microphoneError(error: unknown): RecordingError {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'micDenied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'micMissing';
  return 'failed';
}

/** The first container the browser can record and the practice service accepts. */
export const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];

export function chooseRecordingType(isTypeSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** RMS of a time-domain frame of 8-bit samples (AnalyserNode.getByteTimeDomainData), 0..1. */
export function rmsLevel(samples: Uint8Array): number {
  let sum = 0;
  for (const s of samples) {
    const v = (s - 128) / 128;
    sum += v * v;
  }
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}
