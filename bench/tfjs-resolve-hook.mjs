// Node ESM resolve hook: tfjs's ESM dist uses directory imports that Node's ESM loader rejects,
// so imports of a tfjs package's dist/index.js are redirected to the package's CommonJS entry.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TFJS = /^(@tensorflow\/tfjs(?:-[a-z-]+)?)\/dist\/index\.js$/;

export async function resolve(specifier, context, next) {
  const m = TFJS.exec(specifier);
  if (m) return { url: `file://${require.resolve(m[1])}`, format: 'commonjs', shortCircuit: true };
  return next(specifier, context);
}
