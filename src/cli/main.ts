/** `facematch <command>`: each command lives in its own module and is loaded on demand. */

type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  models: { summary: 'build the ONNX models from the npm weights (--if-missing)', load: () => import('./models.ts') },
  verify: { summary: 'compare the faces in two images', load: () => import('./verify.ts') },
  eval: { summary: 'accuracy on a pairs CSV (ROC AUC, EER, FMR/FNMR, 10-fold)', load: () => import('./eval.ts') },
  bench: { summary: 'speed: per-stage and end-to-end latency, throughput, vs face-api', load: () => import('./bench.ts') },
  calibrate: { summary: 'fit the score calibration for an engine configuration', load: () => import('./calibrate.ts') },
  keys: { summary: 'manage API keys (create)', load: () => import('./keys.ts') },
  'env-docs': { summary: 'the README configuration table from the env schema (--write, --check)', load: () => import('./env-docs.ts') },
  receipt: { summary: 'verify a signed receipt against a JWKS; add a signing key (keygen)', load: () => import('./receipt.ts') },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: facematch <command> [options]\n\ncommands:\n${rows.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`facematch: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}
