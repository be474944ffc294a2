import { Catalog } from '../../provisioner/catalog/catalog.js';

const cache = new Map<string, Catalog>();

/** The bundled catalog for a region and zones, built once per process: every check of every scenario reads it. */
export function catalogFor(region: string, zones: readonly string[]): Catalog {
  const key = `${region}|${zones.join(',')}`;
  let catalog = cache.get(key);
  if (!catalog) cache.set(key, (catalog = new Catalog({ region, zones })));
  return catalog;
}
