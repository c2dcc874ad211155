import { defineConfig } from '@playwright/test';
import { fakeMicrophoneWav } from './e2e/support/audio';

// Debian's Chromium (Playwright cannot download its own browsers here), with a fake microphone that plays an
// espeak-ng reading of the sentence the practice test says. Launch args are per project, as Chromium takes
// one fake capture file per browser instance.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${fakeMicrophoneWav()}%noloop`, '--autoplay-policy=no-user-gesture-required'];

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: '../build/playwright',
  use: { trace: 'off', screenshot: 'off', video: 'off', locale: 'ko-KR', actionTimeout: 20_000 },
  projects: [
    { name: 'phone', testMatch: /phone\.spec\.ts/, use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
      launchOptions: { executablePath: chromium, args } } },
    { name: 'desktop', testIgnore: /phone\.spec\.ts/, use: { viewport: { width: 1280, height: 900 },
      launchOptions: { executablePath: chromium, args } } },
  ],
});
