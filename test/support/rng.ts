/** Deterministic PRNG (mulberry32) for fixed test inputs: values in [0, 1). */
export { rng } from '../../src/eval/prng.ts';
