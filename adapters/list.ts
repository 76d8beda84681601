// The registry adapters this service ships: one line per adapter (see adapters/README.md).
export { default as brSerpro } from './br-serpro/index.ts';
export { default as ghNia } from './gh-nia/index.ts';
export { default as inAadhaar } from './in-aadhaar/index.ts';
export { default as keIprs } from './ke-iprs/index.ts';
export { default as mxIne } from './mx-ine/index.ts';
export { default as ngBvn } from './ng-bvn/index.ts';
export { default as ngNin } from './ng-nin/index.ts';
export { default as peReniec } from './pe-reniec/index.ts';
export { default as zaDha } from './za-dha/index.ts';
