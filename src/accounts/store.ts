/** Resolves a presented API key to its organisation. Keys are compared by hash, in constant time. */
import type { AccountsConfig, Organisation, ServiceName } from './config.ts';
import { hashApiKey, hashesEqual } from './keys.ts';

export interface Principal {
  organisation: Organisation;
  keyId: string;
}

export interface AccountStore {
  /** The principal for a presented key, or undefined for an unknown or revoked key. */
  authenticate(presentedKey: string): Principal | undefined;
  organisation(id: string): Organisation | undefined;
}

export function hasService(org: Organisation, service: ServiceName): boolean {
  return org.services.includes(service);
}

export function createAccountStore(config: AccountsConfig): AccountStore {
  const orgs = new Map(config.organisations.map((o) => [o.id, o]));
  const keys = config.api_keys.filter((k) => !k.revoked);
  return {
    authenticate(presentedKey) {
      if (presentedKey.length === 0 || presentedKey.length > 256) return undefined;
      const hash = hashApiKey(presentedKey);
      let found: (typeof keys)[number] | undefined;
      // Visit every key so the time taken does not depend on which one matched.
      for (const k of keys) if (hashesEqual(k.hash, hash) && !found) found = k;
      if (!found) return undefined;
      const organisation = orgs.get(found.org_id);
      return organisation ? { organisation, keyId: found.id } : undefined;
    },
    organisation: (id) => orgs.get(id),
  };
}
