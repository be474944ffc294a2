import { LABEL, TYPE_KEYS } from '../api/labels.js';
import type { Catalog } from '../catalog/catalog.js';
import type { InstanceType } from '../catalog/instance-type.js';
import type { Requirements } from '../scheduling/requirements.js';

/** Instance types a set of requirements allows, with at least one offering in an allowed zone and capacity type. */
export function compatibleTypes(catalog: Catalog, requirements: Requirements): InstanceType[] {
  return catalog.types.filter(
    (t) =>
      requirements.matchesOn(t.labels, TYPE_KEYS) &&
      t.offerings.some((o) => requirements.allows(LABEL.zone, o.zone) && requirements.allows(LABEL.capacityType, o.capacityType)),
  );
}
