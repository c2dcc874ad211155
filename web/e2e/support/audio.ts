import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const __dirname = path.dirname(fileURLToPath(import.meta.url));

/** The sentence the practice test reads into the fake microphone. */
export const SPOKEN_SENTENCE = 'I would like a cup of coffee.';
/** How long the recording runs: the reading plus a little air. */
export const SPOKEN_SECONDS = 3.5;

/** An espeak-ng reading of SPOKEN_SENTENCE as a mono 16-bit WAV (what Chromium's fake capture plays). */
export function fakeMicrophoneWav(): string {
  const dir = path.resolve(__dirname, '../../../build/e2e-audio');
  const file = path.join(dir, 'spoken-sentence.wav');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '140', '-w', file, SPOKEN_SENTENCE]);
  }
  return file;
}
