import type { ModelSpec } from '../spec.ts';

/** TFJS graph models from @vladmandic/human, converted op by op. */
export const tfjsGraphSpecs: ModelSpec[] = [];
