import { useCallback, useEffect, useReducer, useRef } from 'react';
import { chooseRecordingType, initialRecording, MAX_RECORDING_MS, microphoneError, recordingReducer, rmsLevel,
  type RecordingState } from './recording-machine';

export type Take = { blob: Blob; contentType: string; url: string; durationMs: number };

/** MediaRecorder with a level meter, a 30 s cap and the checks of the recording machine. `onTake` gets the
 * recording once it passes them and should upload and score it (its promise moves the machine on). */
export function useRecorder(onTake: (take: Take, progress: { uploaded: () => void }) => Promise<void>) {
  const [state, dispatch] = useReducer(recordingReducer, initialRecording);
  const stateRef = useRef<RecordingState>(state);
  stateRef.current = state;
  const parts = useRef<{ recorder: MediaRecorder; stream: MediaStream; audio: AudioContext; frame: number;
    cap: ReturnType<typeof setTimeout> } | null>(null);

  const release = useCallback(() => {
    const p = parts.current;
    if (!p) return;
    cancelAnimationFrame(p.frame);
    clearTimeout(p.cap);
    p.stream.getTracks().forEach((track) => track.stop());
    void p.audio.close().catch(() => undefined);
    parts.current = null;
  }, []);

  useEffect(() => release, [release]);

  const stop = useCallback(() => {
    const p = parts.current;
    if (p && p.recorder.state === 'recording') p.recorder.stop();
  }, []);

  const start = useCallback(async () => {
    dispatch({ type: 'request' });
    const type = typeof MediaRecorder === 'undefined' ? null : chooseRecordingType((t) => MediaRecorder.isTypeSupported(t));
    if (!type || !navigator.mediaDevices?.getUserMedia) return dispatch({ type: 'refused', error: 'unsupported' });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (error) {
      return dispatch({ type: 'refused', error: microphoneError(error) });
    }
    const recorder = new MediaRecorder(stream, { mimeType: type });
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    recorder.onstop = () => {
      const stoppedAt = performance.now();
      const before = stateRef.current;
      release();
      dispatch({ type: 'stopped', at: stoppedAt });
      if (before.phase !== 'recording') return;
      const next = recordingReducer(before, { type: 'stopped', at: stoppedAt });
      if (next.phase !== 'uploading') return;
      const contentType = type.split(';')[0];
      const blob = new Blob(chunks, { type: contentType });
      const take = { blob, contentType, url: URL.createObjectURL(blob), durationMs: next.durationMs };
      onTake(take, { uploaded: () => dispatch({ type: 'uploaded' }) })
        .then(() => dispatch({ type: 'scored' }), (detail) => dispatch({ type: 'failed', detail }));
    };
    const meter = () => {
      analyser.getByteTimeDomainData(samples);
      dispatch({ type: 'level', level: rmsLevel(samples) });
      if (parts.current) parts.current.frame = requestAnimationFrame(meter);
    };
    parts.current = { recorder, stream, audio, frame: requestAnimationFrame(meter),
      cap: setTimeout(() => recorder.state === 'recording' && recorder.stop(), MAX_RECORDING_MS) };
    recorder.start(250);
    dispatch({ type: 'granted', at: performance.now() });
  }, [onTake, release]);

  return { state, start, stop, reset: () => dispatch({ type: 'reset' }) };
}
