import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/paths.ts';
import { isCharged, usageClass } from '../../src/policy/charges.ts';
import { decideFaceMatch } from '../../src/policy/face-match.ts';
import { decideReport } from '../../src/policy/review.ts';
import { noFaceWarning, type FaceWarning } from '../../src/policy/warnings.ts';

const facts = (similarity: number | null, document: { passed: boolean; outcome: string; reasons: string[] } | null = null) => ({
  selfieFace: similarity !== null,
  idImageFace: true,
  similarity,
  document,
});

describe('charge rules (one table for the three products)', () => {
  it('face comparison: CONFIRMED only', () => {
    expect(isCharged('/v1/face-comparison', 'CONFIRMED')).toBe(true);
    expect(isCharged('/v1/face-comparison', 'MISMATCH')).toBe(false);
  });
  it('face match: every processed result, never an error', () => {
    for (const code of ['FACE_MATCH', 'FACE_MISMATCH', 'NO_FACE_DETECTED', 'NO_DOCUMENT_DETECTED', 'DOCUMENT_TYPE_MISMATCH']) expect(isCharged('/v1/face-match', code)).toBe(true);
    for (const code of ['INVALID_REQUEST', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'constructor', '__proto__']) expect(isCharged('/v1/face-match', code)).toBe(false);
  });
  it('report: every completed report', () => {
    for (const status of ['Approved', 'In Review', 'Rejected']) expect(isCharged('/v1/face-match-report', status)).toBe(true);
    expect(isCharged('/v1/face-match-report', 'INVALID_INPUT')).toBe(false);
  });
  it('unknown endpoints are never charged; results classify per product', () => {
    expect(isCharged('/v1/other', 'CONFIRMED')).toBe(false);
    expect(usageClass('/v1/face-match', 'FACE_MATCH')).toBe('confirmed');
    expect(usageClass('/v1/face-match-report', 'In Review')).toBe('other');
    expect(usageClass('/v1/face-comparison', 'ID_NOT_FOUND')).toBe('error');
  });
});

describe('face-match decision', () => {
  it('orders missing face, document, similarity and applies the default threshold 90', () => {
    expect(decideFaceMatch(facts(null)).code).toBe('NO_FACE_DETECTED');
    expect(decideFaceMatch(facts(95, { passed: false, outcome: 'NO_DOCUMENT_DETECTED', reasons: ['no text lines'] }))).toMatchObject({ code: 'NO_DOCUMENT_DETECTED', match: false, billable: true });
    expect(decideFaceMatch(facts(90))).toMatchObject({ code: 'FACE_MATCH', match: true, threshold: 90 });
    expect(decideFaceMatch(facts(89.99))).toMatchObject({ code: 'FACE_MISMATCH', match: false });
    expect(decideFaceMatch(facts(85), 80).code).toBe('FACE_MATCH');
  });
});

describe('report decision', () => {
  const attack: FaceWarning = { risk: 'POSSIBLE_PRESENTATION_ATTACK', additional_data: null, log_type: 'warning', short_description: '', long_description: '' };
  it('bands the score and never approves with a presentation-attack signal', () => {
    expect(decideReport({ similarity: 91, warnings: [] }).status).toBe('Approved');
    expect(decideReport({ similarity: 91, warnings: [attack] }).status).toBe('In Review');
    expect(decideReport({ similarity: 80, warnings: [] }).status).toBe('In Review');
    const rejected = decideReport({ similarity: 50, warnings: [] });
    expect(rejected.status).toBe('Rejected');
    expect(rejected.warnings[0]).toMatchObject({ risk: 'LOW_FACE_MATCH_SIMILARITY', log_type: 'error' });
    expect(decideReport({ similarity: null, warnings: [noFaceWarning('selfie')] })).toMatchObject({ status: 'Rejected', score: 0 });
  });
});

describe('layering', () => {
  const sources = (dir: string) => readdirSync(path.join(repoRoot, dir)).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(path.join(repoRoot, dir, f), 'utf8')] as const);
  const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

  it('src/policy imports nothing from the API, server or service layers', () => {
    for (const [file, text] of sources('src/policy')) {
      for (const spec of imports(text)) expect(spec, `src/policy/${file}`).not.toMatch(/\.\.\/(api|server|service)\//);
    }
  });

  it('no route decides a verdict or a charge', () => {
    for (const [file, text] of sources('src/server/routes')) {
      expect(text, file).not.toMatch(/ledger\.record|>= *threshold|charged: *true|billable: *true/);
    }
  });
});
