// Starts the whole dev stack on free ports for the browser suite (as tests/e2e/conftest.py does for pytest),
// unless SPEAKTRACKER_WEB_URL points at one already running. Stops it when the suite ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const __dirname = path.dirname(fileURLToPath(import.meta.url));

const REPO = path.resolve(__dirname, '../../..');
const PARTS = ['identity', 'matching', 'practice', 'conversation', 'notifications', 'websocket', 'web', 'emulator'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function allUp(web: string): Promise<boolean> {
  try {
    const status = await fetch(`${web}/dev/status.json`);
    if (!status.ok) return false;
    return Object.values((await status.json()) as Record<string, { ok: boolean }>).every((p) => p.ok);
  } catch {
    return false;
  }
}

export default async function globalSetup() {
  if (process.env.SPEAKTRACKER_WEB_URL) return undefined;
  const ports: Record<string, number> = {};
  while (new Set(Object.values(ports)).size < PARTS.length) {
    for (const part of PARTS) ports[part] = await freePort();
  }
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'speaktracker-web-e2e-'));
  const log = path.join(stateDir, 'stack.log');
  const python = process.env.PYTHON ?? path.join(REPO, '.venv/bin/python');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPEAKTRACKER_') && !k.startsWith('AWS_')));
  const stack: ChildProcess = spawn(python, ['-m', 'speaktracker_dev', '--emulator', 'embedded', '--state-dir', stateDir,
    '--ports', PARTS.map((p) => `${p}=${ports[p]}`).join(',')],
  { cwd: REPO, env: { ...env, PYTHONPATH: path.join(REPO, 'scripts') }, stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')],
    detached: true });
  const web = `http://127.0.0.1:${ports.web}`;
  const deadline = Date.now() + 150_000;
  while (!(await allUp(web))) {
    if (stack.exitCode !== null || Date.now() > deadline) {
      try { process.kill(-stack.pid!, 'SIGKILL'); } catch { /* already gone */ }
      throw new Error(`the dev stack did not come up:\n${readFileSync(log, 'utf8').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  process.env.SPEAKTRACKER_WEB_URL = web;
  return async () => {
    try { process.kill(-stack.pid!, 'SIGINT'); } catch { return; }
    const stopBy = Date.now() + 30_000;
    while (stack.exitCode === null && Date.now() < stopBy) await new Promise((r) => setTimeout(r, 200));
    if (stack.exitCode === null) process.kill(-stack.pid!, 'SIGKILL');
  };
}
