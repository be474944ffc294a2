// Worker threads do not inherit vitest's TypeScript transform. When burstlab runs from its sources (the tests),
// its seed workers are started with `--import` of this file, which transpiles the sources on load (types are
// checked by tsc, not here). The compiled CLI (dist/) never uses it.
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
