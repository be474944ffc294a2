import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../../harness/runner/errors.js';
import { checkpointFor, forceExit, onForcedExit, uninterruptible } from '../../../harness/runner/interrupt.js';

describe('interrupts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an interrupt exits 130 for SIGINT and 143 for SIGTERM', () => {
    expect(new InterruptedError('SIGINT').exitCode).toBe(130);
    expect(new InterruptedError('SIGTERM').exitCode).toBe(143);
  });

  it('a checkpoint throws the interrupt the signal was aborted with', async () => {
    const controller = new AbortController();
    const checkpoint = checkpointFor(controller.signal);
    await expect(checkpoint()).resolves.toBeUndefined();
    controller.abort(new InterruptedError('SIGTERM'));
    await expect(checkpoint()).rejects.toMatchObject({ signal: 'SIGTERM', exitCode: 143 });
  });

  it('a plain abort counts as SIGINT', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(checkpointFor(controller.signal)()).rejects.toMatchObject({ signal: 'SIGINT', exitCode: 130 });
  });

  it('a forced exit waits for the uninterruptible section (the swap of a run folder) to end, then cleans up', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const steps: string[] = [];
    const unregister = onForcedExit(() => steps.push('cleanup'));
    try {
      await uninterruptible(async () => {
        steps.push('old run moved aside');
        forceExit(130);
        await Promise.resolve();
        steps.push('new run moved in');
      });
    } finally {
      unregister();
    }
    expect(steps).toEqual(['old run moved aside', 'new run moved in', 'cleanup']);
    expect(exit).toHaveBeenCalledExactlyOnceWith(130);
  });
});
