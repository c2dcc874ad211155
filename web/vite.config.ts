import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { target: 'es2021', sourcemap: false, chunkSizeWarningLimit: 500, manifest: true },
  // `make dev` serves the built bundle; `npm run dev` is Vite's own server, proxying config.json to the stack.
  server: { proxy: { '/config.json': 'http://127.0.0.1:8080', '/dev': 'http://127.0.0.1:8080' } },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
