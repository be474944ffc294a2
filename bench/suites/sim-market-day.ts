import { stopwatch } from '../../harness/clock/wall-clock.js';
import { simulateArm } from '../../harness/sim/simulation.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import { loadScenario } from '../../scenarios/load.js';
import { summarize, type BenchSuite } from '../suite.js';

const RUNS = 5;

/** The simulator's speed on the 24-hour market day, per autoscaler arm. */
export const simMarketDay: BenchSuite = {
  name: 'sim-market-day',
  description: `scenarios/market-open.yaml (24 h simulated, seed 42), each arm simulated ${RUNS} times after one warm-up; wall time, simulated seconds per wall second, events per second`,
  async run(log) {
    const scenario = await loadScenario('scenarios/market-open.yaml');
    const catalog = new Catalog({ region: scenario.cluster.region, zones: scenario.cluster.zones });
    const arms: Record<string, unknown> = {};
    for (const arm of scenario.autoscalers) {
      await simulateArm(scenario, arm, catalog);
      const wall: number[] = [];
      let events = 0;
      let timers = 0;
      let peakPods = 0;
      for (let i = 0; i < RUNS; i++) {
        const elapsed = stopwatch();
        const out = await simulateArm(scenario, arm, catalog);
        wall.push(elapsed() / 1000);
        events = out.events.length;
        timers = out.timersFired;
        let live = 0;
        for (const e of out.events) {
          if (e.type === 'pod.created') live++;
          else if (e.type === 'pod.deleted') live--;
          peakPods = Math.max(peakPods, live);
        }
      }
      const w = summarize(wall);
      log(`${arm.name}: median ${w.median} s (min ${w.min}, max ${w.max}), ${events} events, peak ${peakPods} pods`);
      arms[arm.name] = {
        wallSeconds: w,
        simulatedSecondsPerWallSecond: Math.round(scenario.duration / 1000 / w.median),
        eventsPerSecond: Math.round(events / w.median),
        events,
        timersFired: timers,
        peakPods,
      };
    }
    return { goal: 'a 24-hour market day with >= 5,000 pods at peak in under 10 s on 2 cores', simulatedSeconds: scenario.duration / 1000, arms };
  },
};
