import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';
import { readState } from '../../harness/targets/kwok/control-plane.js';
import { portIsFree } from '../../harness/targets/kwok/ports.js';
import { isRunning, stopProcesses } from '../../harness/targets/kwok/processes.js';
import { waitUntil } from '../../harness/targets/wait.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

describe.skipIf(skip)('burstlab cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-cli-'));
  let out = '';
  let err = '';
  const io = (signal: AbortSignal): Parameters<typeof main>[1] => ({
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    signal,
  });

  afterAll(async () => {
    // Belt and braces: whatever a failed test left running is stopped before the folder goes.
    const state = readState(dir);
    if (state) await stopProcesses([...state.processes].reverse());
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('tears the control plane down when `cluster up --foreground` is interrupted', async () => {
    if (toolsError) throw new Error(toolsError);
    const interrupt = new AbortController();
    const running = main(['cluster', 'up', '--target', 'kwok', '--dir', dir, '--foreground'], io(interrupt.signal));
    await waitUntil('the cluster to come up', () => out.includes('kwok cluster up'), 90_000, () => err);
    const state = readState(dir)!;
    expect(state.processes.map((p) => p.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);
    expect(state.processes.every(isRunning)).toBe(true);

    interrupt.abort(new Error('interrupted'));
    expect(await running).toBe(0);
    expect(out).toContain('no process or port left behind');
    expect(state.processes.filter(isRunning)).toEqual([]);
    for (const port of Object.values(state.ports)) expect(await portIsFree(port)).toBe(true);
  }, 120_000);

  it('runs metrics-server with --metrics, and status checks it with the rest', async () => {
    if (toolsError) throw new Error(toolsError);
    out = '';
    const interrupt = new AbortController();
    const running = main(['cluster', 'up', '--target', 'kwok', '--dir', dir, '--foreground', '--metrics', '--speed', '2'], io(interrupt.signal));
    await waitUntil('the cluster to come up', () => out.includes('kwok cluster up'), 120_000, () => err);
    out = '';
    expect(await main(['cluster', 'status', '--target', 'kwok', '--dir', dir], io(new AbortController().signal))).toBe(0);
    expect(out).toMatch(/metrics-server v0\.8\.0, speed 2\)/);
    expect(out).toMatch(/metrics-server +pid \d+ +running/);
    const state = readState(dir)!;
    interrupt.abort(new Error('interrupted'));
    expect(await running).toBe(0);
    expect(state.processes.filter(isRunning)).toEqual([]);
    for (const port of Object.values(state.ports)) expect(await portIsFree(port)).toBe(true);
  }, 180_000);

  it('reports a stopped cluster as not running, with exit code 3', async () => {
    out = '';
    expect(await main(['cluster', 'status', '--target', 'kwok', '--dir', dir], io(new AbortController().signal))).toBe(3);
    expect(out).toContain('no kwok cluster running');
  });
});
