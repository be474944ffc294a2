/** `['workloads', 1, 'resources', 'cpu']` -> `workloads[1].resources.cpu`, the form every validation error uses. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
