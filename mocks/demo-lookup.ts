/**
 * Try the registry SDK against the mocks: `npx tsx mocks/demo-lookup.ts [--latency]`.
 * Looks up every demo identity and a few special numbers, printing masked numbers only.
 */
import { ADAPTERS } from '../adapters/index.ts';
import { createRegistry, maskIdNumber, RegistryError } from '../src/registry/index.ts';
import { readDemoIdentities, SPECIAL_IDS, startRegistryMocks } from './index.ts';

const mocks = await startRegistryMocks({
  latency: process.argv.includes('--latency') ? 'demo' : 'none',
  onSkip: (identity, reason) => console.warn(`skipped ${identity.name}: ${reason}`),
});
const registry = createRegistry({ timeouts: { requestMs: 2_000 } }, { adapters: ADAPTERS });
try {
  const cases: Array<[string, string, string]> = (await readDemoIdentities()).map((i) => [i.id_type, i.id_number, i.name]);
  cases.push(['ZA_ID', SPECIAL_IDS['za-dha']!.photo_missing, 'special: photo missing']);
  cases.push(['PE_DNI', SPECIAL_IDS['pe-reniec']!.rate_limited, 'special: daily quota']);
  cases.push(['KE_NATIONAL_ID', SPECIAL_IDS['ke-iprs']!.flaky, 'special: flaky (retried)']);
  for (const [idType, idNumber, label] of cases) {
    const started = Date.now();
    try {
      const r = await registry.router.lookup(idType, idNumber, { requestId: 'demo' });
      console.log(`${idType.padEnd(15)} ${maskIdNumber(idNumber).padEnd(16)} ${label.padEnd(26)} → ${r.identity.full_name} · ${r.photo.mediaType} ${r.photo.bytes.length} B · ${Date.now() - started} ms`);
    } catch (err) {
      const e = err as RegistryError;
      console.log(`${idType.padEnd(15)} ${maskIdNumber(idNumber).padEnd(16)} ${label.padEnd(26)} → ${e.kind ?? e.name}: ${e.message}`);
    }
  }
} finally {
  await registry.close();
  mocks.close();
}
