/**
 * The registry adapter plug-ins, from the one-line-per-adapter list in ./list.ts. Adding a registry
 * means adding its folder (adapters/<id>/) and one line there; see adapters/README.md.
 */
import type { AdapterPlugin } from '../src/registry/plugin.ts';
import * as plugins from './list.ts';

export const ADAPTERS: readonly AdapterPlugin[] = Object.values(plugins);
