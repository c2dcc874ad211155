// Every key the screens name literally, t('a.b'), exists in the Korean messages (the source of keys; English is
// type-checked against them), so no screen ever shows a raw key such as "home.tutorFeedback".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ko from '@/locales/ko';

const src = path.resolve(__dirname, '../..');
const KEY = "'([a-zA-Z]+(?:\\.[a-zA-Z0-9_]+)+)'";
const KEY_USE = new RegExp(`\\bt\\(\\s*(?:[\\w.!]+\\s*(?:===?\\s*'\\w+'\\s*)?\\?\\s*)?${KEY}(?:\\s*:\\s*${KEY})?`, 'g');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === '__tests__' || name === 'generated' ? [] : sources(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

function has(messages: unknown, key: string): boolean {
  const value = key.split('.').reduce<unknown>((node, part) =>
    (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);
  if (typeof value === 'string') return true;
  // Plural keys (count) are stored as key_one / key_other.
  const [parent, last] = [key.split('.').slice(0, -1), key.split('.').at(-1)];
  const node = parent.reduce<unknown>((n, p) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[p] : undefined), messages);
  return Boolean(node && typeof node === 'object' && `${last}_other` in (node as object));
}

describe('locale keys', () => {
  it('finds every literal t() key of the screens in the Korean messages', () => {
    const used = sources(src).flatMap((file) =>
      // t('a.b') and t(condition ? 'a.b' : 'a.c')
      [...readFileSync(file, 'utf8').matchAll(KEY_USE)].flatMap((m) => [m[1], m[2]].filter(Boolean)
        .map((key) => `${key} (${path.relative(src, file)})`)));
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((entry) => !has(ko, entry.split(' ')[0]))).toEqual([]);
  });
});
