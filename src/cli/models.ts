/** `facematch models [--if-missing]`: (re)build the ONNX models and their manifest. */
import { buildModels } from '../../models/build/index.ts';

export async function run(args: string[]): Promise<number> {
  await buildModels({ ifMissing: args.includes('--if-missing') });
  return 0;
}
