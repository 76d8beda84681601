import type { ModelSpec } from '../spec.ts';

/** face-api weight-manifest nets, rebuilt as ONNX graphs. */
export const faceApiSpecs: ModelSpec[] = [];
