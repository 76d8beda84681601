/** `facematch env-docs [--write | --check]`: the README's configuration table from the env schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { renderEnvTable, withEnvTable } from '../config/env-docs.ts';
import { repoRoot } from '../config/paths.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { write: { type: 'boolean' }, check: { type: 'boolean' } } });
  if (!values.write && !values.check) {
    process.stdout.write(`${renderEnvTable()}\n`);
    return 0;
  }
  const file = path.join(repoRoot, 'README.md');
  const current = readFileSync(file, 'utf8');
  const updated = withEnvTable(current);
  if (values.check) {
    if (updated === current) return 0;
    process.stderr.write('facematch: the README configuration table is stale; run `facematch env-docs --write`\n');
    return 1;
  }
  if (updated !== current) writeFileSync(file, updated);
  return 0;
}
