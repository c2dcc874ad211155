import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `make bench-web`: the load-time measurement, alone (one worker), on a stack of its own.
export default defineConfig({
  ...base,
  testDir: 'bench',
  projects: [{ name: 'bench', use: base.projects![1].use }],
});
