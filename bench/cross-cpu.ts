/**
 * Same descriptors on every CPU: `npx tsx bench/cross-cpu.ts embed > a.json` prints the default
 * engine's embeddings of a few development photos; run it again on another CPU (or under
 * `qemu-x86_64 -cpu Haswell node --import tsx bench/cross-cpu.ts embed > b.json` for an AVX2-only
 * CPU), then `npx tsx bench/cross-cpu.ts compare a.json b.json` prints the cosine and the largest
 * coordinate difference per photo. The embeddings stay in those files only as long as you keep
 * them: they are of the public development photos, never of users.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../src/config/paths.ts';
import { createInProcessEngine } from '../src/engine/index.ts';

const PHOTOS = ['faces/obama/obama1.jpg', 'faces/penny/penny1.png', 'faces/amy/amy2.png', 'faces/biden/biden2.jpg'];

interface Dump {
  version: string;
  embeddings: Record<string, number[]>;
}

async function embed(): Promise<void> {
  const engine = await createInProcessEngine({ workers: 0, liveness: false });
  const dump: Dump = { version: engine.version, embeddings: {} };
  try {
    for (const photo of PHOTOS) dump.embeddings[photo] = Array.from((await engine.analyze(readFileSync(path.join(dataDir(), photo)))).embedding);
  } finally {
    await engine.close();
  }
  process.stdout.write(`${JSON.stringify(dump)}\n`);
}

function compare(fileA: string, fileB: string): void {
  const [a, b] = [fileA, fileB].map((f) => JSON.parse(readFileSync(f, 'utf8')) as Dump);
  if (a!.version !== b!.version) throw new Error(`different engines: ${a!.version} vs ${b!.version}`);
  for (const photo of Object.keys(a!.embeddings)) {
    const x = a!.embeddings[photo]!, y = b!.embeddings[photo]!;
    let dot = 0, maxDiff = 0;
    x.forEach((v, i) => {
      dot += v * y[i]!;
      maxDiff = Math.max(maxDiff, Math.abs(v - y[i]!));
    });
    process.stdout.write(`${photo}: cosine ${dot.toFixed(7)}, largest coordinate difference ${maxDiff.toExponential(1)}\n`);
  }
}

const [command, ...files] = process.argv.slice(2);
if (command === 'embed') await embed();
else if (command === 'compare' && files.length === 2) compare(files[0]!, files[1]!);
else {
  process.stderr.write('usage: tsx bench/cross-cpu.ts embed > out.json | compare a.json b.json\n');
  process.exitCode = 2;
}
