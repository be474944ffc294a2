/**
 * Chart specifications: everything the browser needs to draw each chart, already downsampled. The client script
 * only turns these into uPlot options; it computes nothing about the run.
 */
import type { FaultMarker } from './faults.js';
import type { Cdf, Histogram } from './latency.js';
import type { Timelines } from './timeline.js';

export type ChartUnit = 'count' | 'rps' | 'usd' | 'usdPerHour' | 'fraction';

export interface SeriesSpec {
  label: string;
  color: string;
  values: Array<number | null>;
  dash?: boolean;
  fill?: boolean;
}

export interface ChartSpec {
  id: string;
  /** Time charts on the close-up's axis (ChartData.focus.x) instead of the whole run's. */
  axis?: 'focus';
  /** 'time' charts share ChartData.time.x and carry the fault and phase markers; the others have latency (s) on x. */
  kind: 'time' | 'cdf' | 'histogram';
  unit: ChartUnit;
  x?: number[];
  stacked?: boolean;
  /** Fixed y maximum, so small multiples of different arms compare by eye. */
  yMax?: number;
  series: SeriesSpec[];
}

export interface ChartData {
  time: {
    x: number[];
    /** Seconds to add to x for the scenario's wall clock as UTC-based display time (epoch plus its offset). */
    shiftS: number;
    zone: string;
  };
  /** A close-up of the worst moment: its own finer x axis, not zoomed with the whole-run charts. */
  focus?: { x: number[]; startS: number; endS: number };
  /** `untilS`: the end of the fault's widest impact window over the arms, shaded on every time chart. */
  faults: Array<{ tS: number; label: string; untilS?: number }>;
  /** Disruption decisions (reports/model/disruption.ts), marked on every time chart; absent when there are none. */
  disruptions?: Array<{ tS: number; label: string }>;
  phases: Array<{ name: string; startS: number; endS: number }>;
  charts: ChartSpec[];
}

const ARM_COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f59f00'];
const CAPACITY_COLORS: Record<string, string> = { 'on-demand': '#4c6ef5', spot: '#12b886', reserved: '#fab005' };
const TYPE_COLORS = ['#4263eb', '#12b886', '#f59f00', '#e64980', '#7950f2', '#15aabf', '#82c91e', '#868e96'];

export function armColor(index: number): string {
  return ARM_COLORS[index % ARM_COLORS.length]!;
}

export interface ChartInputs {
  arms: string[];
  timelines: Timelines;
  focus?: Timelines;
  podToReady: Record<string, Cdf>;
  podToReadyHistogram: Histogram;
  nodeLaunch: Record<string, Cdf>;
  faults: FaultMarker[];
  phases: Array<{ name: string; startS: number; endS: number }>;
  shiftS: number;
  zone: string;
}

export function chartData(input: ChartInputs): ChartData {
  const { arms, timelines: tl } = input;
  const perArm = (pick: (i: number) => number[], extra: Partial<SeriesSpec> = {}): SeriesSpec[] =>
    arms.map((name, i) => ({ label: name, color: armColor(i), values: pick(i), ...extra }));
  const line = (i: number): (typeof tl.arms)[number] => tl.arms[i]!;
  const charts: ChartSpec[] = [
    ...(input.focus ? focusCharts(arms, input.focus) : []),
    {
      id: 'traffic',
      kind: 'time',
      unit: 'rps',
      series: [
        { label: 'offered', color: '#868e96', values: line(0)?.offeredRps ?? [], fill: true },
        ...perArm((i) => line(i).servedRps).map((s) => ({ ...s, label: `served · ${s.label}` })),
      ],
    },
    {
      id: 'replicas',
      kind: 'time',
      unit: 'count',
      series: arms.flatMap((name, i) => [
        { label: `desired · ${name}`, color: armColor(i), values: line(i).desiredReplicas, dash: true },
        { label: `ready · ${name}`, color: armColor(i), values: line(i).readyReplicas },
      ]),
    },
    { id: 'pending', kind: 'time', unit: 'count', series: perArm((i) => line(i).pendingPods, { fill: true }) },
    ...stacked('nodes-capacity', arms, tl.capacityTypes, (i) => line(i).nodesByCapacityType, (label) => CAPACITY_COLORS[label] ?? '#868e96'),
    ...stacked('nodes-type', arms, tl.instanceTypes, (i) => line(i).nodesByInstanceType, (_, k) => TYPE_COLORS[k % TYPE_COLORS.length]!),
    { id: 'cost-rate', kind: 'time', unit: 'usdPerHour', series: perArm((i) => line(i).costPerHour) },
    { id: 'cost-total', kind: 'time', unit: 'usd', series: perArm((i) => line(i).cumulativeCostUSD) },
    cdfChart('pod-to-ready-cdf', arms, input.podToReady),
    histogramChart('pod-to-ready-histogram', arms, input.podToReadyHistogram),
    cdfChart('node-launch-cdf', arms, input.nodeLaunch),
  ];
  return {
    time: { x: tl.x, shiftS: input.shiftS, zone: input.zone },
    ...(input.focus ? { focus: { x: input.focus.x, startS: input.focus.x[0]!, endS: input.focus.x.at(-1)! } } : {}),
    faults: input.faults.map((f) => ({ tS: f.tS, label: f.fault, ...(f.untilS === undefined ? {} : { untilS: f.untilS }) })),
    phases: input.phases,
    charts,
  };
}

function focusCharts(arms: string[], tl: Timelines): ChartSpec[] {
  const line = (i: number): (typeof tl.arms)[number] => tl.arms[i]!;
  const totalNodes = (i: number): number[] => tl.x.map((_, p) => line(i).nodesByCapacityType.reduce((s, col) => s + col[p]!, 0));
  return [
    { id: 'focus-pending', kind: 'time', axis: 'focus', unit: 'count', series: arms.map((name, i) => ({ label: name, color: armColor(i), values: line(i).pendingPods, fill: true })) },
    {
      id: 'focus-replicas',
      kind: 'time',
      axis: 'focus',
      unit: 'count',
      series: arms.flatMap((name, i) => [
        { label: `desired · ${name}`, color: armColor(i), values: line(i).desiredReplicas, dash: true },
        { label: `ready · ${name}`, color: armColor(i), values: line(i).readyReplicas },
      ]),
    },
    { id: 'focus-nodes', kind: 'time', axis: 'focus', unit: 'count', series: arms.map((name, i) => ({ label: name, color: armColor(i), values: totalNodes(i) })) },
  ];
}

/** Stacked layers get one chart per arm side by side, on the same y scale. */
function stacked(
  prefix: string,
  arms: string[],
  labels: string[],
  columns: (arm: number) => number[][],
  color: (label: string, k: number) => string,
): ChartSpec[] {
  let yMax = 1;
  for (let i = 0; i < arms.length; i++) {
    const cols = columns(i);
    for (let p = 0; p < (cols[0]?.length ?? 0); p++) yMax = Math.max(yMax, cols.reduce((a, c) => a + c[p]!, 0));
  }
  return arms.map((_, i) => ({
    id: `${prefix}-${i}`,
    kind: 'time' as const,
    unit: 'count' as const,
    stacked: true,
    yMax: Math.ceil(yMax * 1.05),
    // Colours follow the layer's index across arms; layers an arm never used are left out of its legend.
    series: labels.map((label, k) => ({ label, color: color(label, k), values: columns(i)[k]!, fill: true })).filter((s) => s.values.some((v) => v !== 0)),
  }));
}

/** CDFs of different arms have different x values; they share one sorted x with gaps where an arm has no point. */
function cdfChart(id: string, arms: string[], byArm: Record<string, Cdf>): ChartSpec {
  const xs = [...new Set(arms.flatMap((a) => byArm[a]?.x ?? []))].sort((a, b) => a - b);
  const index = new Map(xs.map((v, i) => [v, i]));
  const series = arms.map((a, i) => {
    const values = new Array<number | null>(xs.length).fill(null);
    const c = byArm[a];
    c?.x.forEach((v, k) => (values[index.get(v)!] = c.y[k]!));
    return { label: a, color: armColor(i), values };
  });
  return { id, kind: 'cdf', unit: 'fraction', x: xs, series };
}

function histogramChart(id: string, arms: string[], h: Histogram): ChartSpec {
  return {
    id,
    kind: 'histogram',
    unit: 'count',
    x: h.edges,
    // A trailing zero closes the last step at the last edge.
    series: arms.map((a, i) => ({ label: a, color: armColor(i), values: [...(h.counts[a] ?? []), 0], fill: true })),
  };
}
