import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../../harness/runner/progress.js';

function stream(isTTY: boolean): { text: string[]; out: { write(s: string): void; isTTY: boolean } } {
  const text: string[] = [];
  return { text, out: { write: (s) => void text.push(s), isTTY } };
}

describe('ProgressBar', () => {
  it('prints a plain line per quarter when stderr is not a terminal', () => {
    const s = stream(false);
    const bar = new ProgressBar(s.out, 'run');
    for (let i = 0; i <= 100; i++) bar.update(i / 100, 'arm');
    expect(s.text).toEqual(['run: 0% arm\n', 'run: 25% arm\n', 'run: 50% arm\n', 'run: 75% arm\n', 'run: 100% arm\n']);
  });

  it('redraws one line in place on a terminal', () => {
    const s = stream(true);
    const bar = new ProgressBar(s.out, 'run');
    bar.update(0.5, 'arm');
    expect(s.text[0]).toMatch(/^\r.*\[#{15}-{15}\]\s+50% arm/);
    expect(s.text.join('')).not.toMatch(/\n/);
  });

  it('prints each step after the bar on a line of its own', () => {
    const s = stream(true);
    const bar = new ProgressBar(s.out, 'run');
    bar.done('simulated');
    bar.step('writing events.jsonl');
    expect(s.text.join('')).toBe('\rrun: simulated\x1b[K\nrun: writing events.jsonl\n');
  });
});
