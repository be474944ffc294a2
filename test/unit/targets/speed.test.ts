import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../harness/runner/errors.js';
import {
  apiserverTolerationFlags,
  controllerManagerHpaFlags,
  DEFAULT_TIMINGS,
  effectiveMetricResolutionMs,
  metricsServerTimingFlags,
  nodeMonitorFlags,
  wallDelays,
} from '../../../harness/targets/kwok/speed.js';

describe('--speed on the control plane', () => {
  it("leaves Kubernetes' own HPA defaults at speed 1", () => {
    expect(controllerManagerHpaFlags(DEFAULT_TIMINGS, 1)).toEqual([
      '--horizontal-pod-autoscaler-sync-period=15000ms',
      '--horizontal-pod-autoscaler-cpu-initialization-period=300000ms',
      '--horizontal-pod-autoscaler-initial-readiness-delay=30000ms',
    ]);
  });

  it("divides the HPA controller's timings by the speed", () => {
    expect(controllerManagerHpaFlags(DEFAULT_TIMINGS, 10)).toEqual([
      '--horizontal-pod-autoscaler-sync-period=1500ms',
      '--horizontal-pod-autoscaler-cpu-initialization-period=30000ms',
      '--horizontal-pod-autoscaler-initial-readiness-delay=3000ms',
    ]);
  });

  it('holds the HPA sync period at 1 s wall', () => {
    expect(controllerManagerHpaFlags({ ...DEFAULT_TIMINGS, hpaSyncPeriodMs: 5_000 }, 50)[0]).toBe('--horizontal-pod-autoscaler-sync-period=1000ms');
  });

  it("holds metrics-server's resolution at its 10 s floor, with the request timeout inside it", () => {
    expect(metricsServerTimingFlags(DEFAULT_TIMINGS, 1)).toEqual(['--metric-resolution=15000ms', '--kubelet-request-timeout=7500ms']);
    expect(metricsServerTimingFlags(DEFAULT_TIMINGS, 3)).toEqual(['--metric-resolution=10000ms', '--kubelet-request-timeout=5000ms']);
  });

  it('reports the resolution the floor leaves in scenario time', () => {
    expect(effectiveMetricResolutionMs(DEFAULT_TIMINGS, 1)).toBe(15_000);
    expect(effectiveMetricResolutionMs(DEFAULT_TIMINGS, 10)).toBe(100_000);
  });

  it('divides the kwok stage delays exactly, to the millisecond', () => {
    expect(wallDelays({ nodeReadyMs: 45_000, podReadyMs: 1_500, podReadyJitterMs: 999, podDeleteMs: 0 }, 4)).toEqual({
      nodeReadyMs: 11_250,
      podReadyMs: 375,
      podReadyJitterMs: 250,
      podDeleteMs: 0,
    });
  });

  it('refuses a speed below 1 or above 100', () => {
    for (const speed of [0.5, 0, 101, Number.NaN]) expect(() => wallDelays({ nodeReadyMs: 0, podReadyMs: 0, podReadyJitterMs: 0, podDeleteMs: 0 }, speed)).toThrow(UsageError);
  });

  it("compresses a fault's taint-based eviction timeout into the API server's default tolerations, in whole seconds", () => {
    expect(apiserverTolerationFlags(300_000, 10)).toEqual(['--default-not-ready-toleration-seconds=30', '--default-unreachable-toleration-seconds=30']);
    expect(apiserverTolerationFlags(5_000, 10)).toEqual(['--default-not-ready-toleration-seconds=1', '--default-unreachable-toleration-seconds=1']);
  });

  it("compresses the node lifecycle controller's monitoring period (held at its floor) and eviction rates", () => {
    expect(nodeMonitorFlags(10)).toEqual(['--node-monitor-period=500ms', '--node-eviction-rate=1', '--secondary-node-eviction-rate=0.1']);
    expect(nodeMonitorFlags(100)[0]).toBe('--node-monitor-period=200ms');
  });
});
