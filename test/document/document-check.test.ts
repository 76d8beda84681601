/**
 * The document layout check on documents rendered in the test (sharp + SVG, real portraits from the
 * shared data folder composited in place) versus plain photos, with the portrait's face box found by
 * the real face engine. Pure decision tests on hand-made measures run without the models.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsDir } from '../../src/config/paths.ts';
import { createDocumentChecker, decideDocument, type DocumentCheckResult } from '../../src/document/check.ts';
import type { DocumentType } from '../../src/document/layouts.ts';
import type { DocumentMeasures } from '../../src/document/measure.ts';
import { createFaceEngine } from '../../src/engine/index.ts';
import { renderDocument, type RenderOptions } from '../support/documents.ts';
import { hasSharedData, sharedImage } from '../support/shared-data.ts';

const available = hasSharedData && existsSync(path.join(modelsDir(), 'blazeface.onnx'));

describe.skipIf(!available)('document check on rendered documents and plain photos (real engine face boxes)', () => {
  let engine: Awaited<ReturnType<typeof createFaceEngine>>;
  const checker = createDocumentChecker();
  const images = new Map<string, Buffer>();

  async function check(image: Buffer, type: DocumentType): Promise<DocumentCheckResult> {
    const analysis = await engine.analyze(image);
    return checker.check({ image, face: analysis.face.box, type });
  }
  async function rendered(name: string, opts: RenderOptions): Promise<Buffer> {
    if (!images.has(name)) images.set(name, await renderDocument(opts));
    return images.get(name)!;
  }
  const card = () => rendered('card', { kind: 'ID1', portrait: 'faces/penny/penny1.png' });
  const cardOnWhite = () => rendered('cardOnWhite', { kind: 'ID1', portrait: 'faces/leonard/leonard2.png', background: '#fafafa' });
  const cardScan = () => rendered('cardScan', { kind: 'ID1', portrait: 'faces/obama/obama1.jpg', background: null });
  const residence = () => rendered('residence', { kind: 'ID1_MRZ', portrait: 'faces/sheldon/sheldon1.png', background: '#2f4858' });
  const passport = () => rendered('passport', { kind: 'TD3', portrait: 'faces/biden/biden1.jpg', background: '#34495e' });
  const portraitRight = () => rendered('portraitRight', { kind: 'ID1', portrait: 'faces/raj/raj1.png', portraitSide: 'right' });
  const tooWide = () => rendered('tooWide', { kind: 'ID1', portrait: 'faces/howard/howard1.png', size: { width: 1000, height: 540 } });

  beforeAll(async () => {
    engine = await createFaceEngine();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  describe('ANY: looks like an identity document with a portrait', () => {
    it.each([
      ['an ID-1 card on a dark background', card, 'background', 'ID1_CARD'],
      ['an ID-1 card on a white background', cardOnWhite, 'background', 'ID1_CARD'],
      ['a tight scan of an ID-1 card (no background)', cardScan, 'frame', 'ID1_CARD'],
      ['an ID-1 card with an MRZ band', residence, 'background', 'ID1_CARD'],
      ['a TD3 passport page', passport, 'background', 'TD3_PASSPORT_PAGE'],
      ['an ID-1 card with the portrait on the right', portraitRight, 'background', 'ID1_CARD'],
    ])('detects %s', async (_what, render, source, layout) => {
      const r = await check(await render(), 'ANY');
      expect(r, JSON.stringify(r)).toMatchObject({ passed: true, outcome: 'DOCUMENT_DETECTED', documentDetected: true, layout, reasons: [] });
      expect(r.measures.source).toBe(source);
      expect(r.measures.textLines).toBeGreaterThanOrEqual(3);
    });

    it.each([
      ['a portrait photo (obama1.jpg)', 'faces/obama/obama1.jpg'],
      ['a tight 150×150 face crop (amy1.png)', 'faces/amy/amy1.png'],
      ['a group photo (bbt1.jpg)', 'group/bbt1.jpg'],
      ['a group photo (two_people.jpg)', 'group/two_people.jpg'],
      ['a 16:9 frame (obama-720p.jpg)', 'edge/obama-720p.jpg'],
      ['a 4:3 photo (obama_small.jpg)', 'edge/obama_small.jpg'],
      ['a landscape photo near the ID-1 ratio (alex1.jpg)', 'faces/alex_lacamoire/alex1.jpg'],
    ])('rejects %s as NO_DOCUMENT_DETECTED', async (_what, file) => {
      const r = await check(sharedImage(file), 'ANY');
      expect(r, JSON.stringify(r)).toMatchObject({ passed: false, outcome: 'NO_DOCUMENT_DETECTED', documentDetected: false, layout: null });
      expect(r.reasons.length).toBeGreaterThan(0);
    });

    it('rejects a card-like image with the wrong aspect ratio (1.85)', async () => {
      const r = await check(await tooWide(), 'ANY');
      expect(r.outcome).toBe('NO_DOCUMENT_DETECTED');
      expect(r.reasons.join(' ')).toMatch(/aspect ratio 1\.8/);
    });
  });

  describe('specific types: the layout must fit', () => {
    it.each([
      ['INE', card],
      ['IFE', card],
      ['MEX_PROFESSIONAL_ID', card],
      ['INE', cardScan],
      ['MEX_RESIDENCE_CARD', residence],
      ['MEX_PASSPORT', passport],
    ] as const)('accepts %s on a matching rendered layout', async (type, render) => {
      const r = await check(await render(), type);
      expect(r, JSON.stringify(r)).toMatchObject({ requestedType: type, passed: true, outcome: 'TYPE_MATCHED', reasons: [] });
    });

    it.each([
      ['INE', passport, /aspect ratio 1\.4\d does not fit an ID-1 card/],
      ['MEX_PASSPORT', card, /does not fit a TD3 passport page/],
      ['MEX_PASSPORT', card, /no machine-readable-zone band/],
      ['MEX_RESIDENCE_CARD', card, /no machine-readable-zone band/],
      ['INE', residence, /machine-readable-zone band was found/],
      ['INE', portraitRight, /portrait is not on the left/],
    ] as const)('answers DOCUMENT_TYPE_MISMATCH for %s on a different layout (%s)', async (type, render, reason) => {
      const r = await check(await render(), type);
      expect(r, JSON.stringify(r)).toMatchObject({ requestedType: type, passed: false, outcome: 'DOCUMENT_TYPE_MISMATCH', documentDetected: true });
      expect(r.reasons.join('; ')).toMatch(reason);
    });

    it('answers NO_DOCUMENT_DETECTED (not a type mismatch) for a plain photo with a specific type', async () => {
      const r = await check(sharedImage('faces/obama/obama1.jpg'), 'INE');
      expect(r.outcome).toBe('NO_DOCUMENT_DETECTED');
    });
  });

  it('measures the portrait on the left of an ID-1 card at a plausible size', async () => {
    const r = await check(await card(), 'INE');
    expect(r.measures.aspectRatio).toBeCloseTo(1.586, 1);
    expect(r.measures.portraitCentre.x).toBeLessThan(0.35);
    expect(r.measures.portraitArea).toBeGreaterThan(0.01);
    expect(r.measures.portraitArea).toBeLessThan(0.3);
    expect(r.measures.mrzBand).toBe(false);
    const p = await check(await passport(), 'MEX_PASSPORT');
    expect(p.measures.mrzBand).toBe(true);
    expect(p.measures.aspectRatio).toBeCloseTo(1.42, 1);
  });
});

describe('document decision (pure, from measures)', () => {
  const measures = (m: Partial<DocumentMeasures>): DocumentMeasures => ({
    source: 'background',
    rect: { x: 0, y: 0, width: 856, height: 540 },
    aspectRatio: 1.585,
    orientation: 'landscape',
    portraitCentre: { x: 0.2, y: 0.5 },
    portraitArea: 0.05,
    portraitInside: true,
    textLines: 6,
    mrzBand: false,
    bands: [],
    ...m,
  });

  it('needs a landscape document, an ID aspect ratio, a portrait inside of a plausible size and text lines', () => {
    expect(decideDocument('ANY', measures({})).passed).toBe(true);
    for (const bad of [
      { orientation: 'portrait' as const, aspectRatio: 1.585 },
      { aspectRatio: 1.0 },
      { aspectRatio: 1.78 },
      { portraitInside: false, portraitCentre: { x: 1.2, y: 0.5 } },
      { portraitArea: 0.8 },
      { portraitArea: 0.001 },
      { textLines: 2 },
    ]) {
      const r = decideDocument('ANY', measures(bad));
      expect(r.outcome, JSON.stringify(bad)).toBe('NO_DOCUMENT_DETECTED');
    }
  });

  it('checks the type layout: family by aspect ratio, portrait side, MRZ', () => {
    expect(decideDocument('INE', measures({})).outcome).toBe('TYPE_MATCHED');
    expect(decideDocument('MEX_PASSPORT', measures({ aspectRatio: 1.42, mrzBand: true })).outcome).toBe('TYPE_MATCHED');
    expect(decideDocument('MEX_RESIDENCE_CARD', measures({ mrzBand: true })).outcome).toBe('TYPE_MATCHED');
    expect(decideDocument('INE', measures({ aspectRatio: 1.42 })).outcome).toBe('DOCUMENT_TYPE_MISMATCH');
    expect(decideDocument('INE', measures({ portraitCentre: { x: 0.7, y: 0.5 } })).outcome).toBe('DOCUMENT_TYPE_MISMATCH');
    expect(decideDocument('ANY', measures({ portraitCentre: { x: 0.7, y: 0.5 } })).outcome).toBe('DOCUMENT_DETECTED');
    // A document aspect ratio that fits neither family (1.33): a document, but no layout.
    const between = decideDocument('INE', measures({ aspectRatio: 1.33 }));
    expect(between).toMatchObject({ outcome: 'DOCUMENT_TYPE_MISMATCH', layout: null });
  });
});
