import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/engine/components.ts';
import { orderByPrimary } from '../../src/engine/engine.ts';

const det = (x: number, y: number, size: number): Detection => ({ box: { x, y, width: size, height: size }, score: 0.9 });

describe('primary face choice', () => {
  it('takes the clearly largest face wherever it is', () => {
    const faces = [det(0, 0, 50), det(300, 300, 120), det(150, 150, 60)];
    orderByPrimary(faces, 400, 400);
    expect(faces.map((f) => f.box.width)).toEqual([120, 60, 50]);
  });

  it('among near-equal faces, takes the most central one', () => {
    const faces = [det(0, 100, 110), det(145, 145, 100)];
    orderByPrimary(faces, 400, 400);
    expect(faces[0]!.box.x).toBe(145);
  });

  it('measures size by the visible part of a face cut by the border', () => {
    // 130 px wide but half outside the frame: 65 visible columns.
    const faces = [det(-65, 100, 130), det(200, 100, 100)];
    orderByPrimary(faces, 400, 400);
    expect(faces[0]!.box.x).toBe(200);
  });
});
