/**
 * The registry adapters this service ships, one plug-in per line. Adding a registry means adding
 * its folder (adapters/<id>/) and one line here; see adapters/README.md.
 */
import type { AdapterPlugin } from '../src/registry/plugin.ts';
import ghNia from './gh-nia/index.ts';
import keIprs from './ke-iprs/index.ts';
import ngBvn from './ng-bvn/index.ts';
import ngNin from './ng-nin/index.ts';
import peReniec from './pe-reniec/index.ts';
import zaDha from './za-dha/index.ts';

export const ADAPTERS: readonly AdapterPlugin[] = [peReniec, keIprs, ngNin, ngBvn, ghNia, zaDha];
