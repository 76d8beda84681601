import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesFromInput } from '../../src/engine/decode.ts';
import { imageSha256, sha256Hex } from '../../src/receipts/hash.ts';

describe('imageSha256', () => {
  it('hashes exactly the bytes the engine decodes, in every encoding the API accepts', () => {
    for (const size of [1, 2, 3, 100, 4096 + 1]) {
      const bytes = new Uint8Array(randomBytes(size));
      const b64 = Buffer.from(bytes).toString('base64');
      const forms = [
        b64,
        `data:image/jpeg;base64,${b64}`,
        `  data:image/png;name=x.png;base64,${b64}\n`,
        Buffer.from(bytes).toString('base64url'),
        b64.replace(/(.{76})/g, '$1\r\n'),
        `\n${b64}\n`,
      ];
      for (const form of forms) {
        expect(Buffer.from(bytesFromInput(form, Number.POSITIVE_INFINITY))).toEqual(Buffer.from(bytes));
        expect(imageSha256(form)).toBe(sha256Hex(bytes));
      }
      expect(imageSha256(bytes)).toBe(sha256Hex(bytes));
    }
  });
});
