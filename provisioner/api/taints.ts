export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string | undefined;
  effect: TaintEffect;
}

export interface Toleration {
  key?: string | undefined;
  operator: 'Equal' | 'Exists';
  value?: string | undefined;
  effect?: TaintEffect | undefined;
}

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key === undefined || t.key === '') return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/** The first taint with a hard effect (NoSchedule, NoExecute) the pod does not tolerate, or null. */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | null {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return taint;
  }
  return null;
}
