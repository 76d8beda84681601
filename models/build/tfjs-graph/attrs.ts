/** Typed readers for GraphDef node attributes (protobuf-JSON: strings are base64, int64 are strings). */
import type { TfNode } from './types.ts';

function decodeB64(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrString(node: TfNode, key: string, fallback?: string): string {
  const a = node.attr?.[key];
  if (a?.s !== undefined) return decodeB64(a.s);
  if (fallback !== undefined) return fallback;
  throw new Error(`node ${node.name} (${node.op}): missing string attribute ${key}`);
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map(decodeB64);
}

export function attrInts(node: TfNode, key: string, fallback?: number[]): number[] {
  const list = node.attr?.[key]?.list?.i;
  if (list !== undefined) return list.map(Number);
  if (fallback !== undefined) return fallback;
  throw new Error(`node ${node.name} (${node.op}): missing int list attribute ${key}`);
}

export function attrInt(node: TfNode, key: string, fallback?: number): number {
  const a = node.attr?.[key];
  if (a?.i !== undefined) return Number(a.i);
  if (fallback !== undefined) return fallback;
  throw new Error(`node ${node.name} (${node.op}): missing int attribute ${key}`);
}

/** Protobuf-JSON omits zero-valued floats, so a present attr without `f` means 0. */
export function attrFloat(node: TfNode, key: string, fallback: number): number {
  const a = node.attr?.[key];
  if (a === undefined) return fallback;
  return a.f ?? 0;
}

export function attrBool(node: TfNode, key: string, fallback: boolean): boolean {
  const a = node.attr?.[key];
  if (a === undefined) return fallback;
  return a.b ?? false;
}

/** Static dims of a shape attribute (e.g. Placeholder `shape`); -1 for unknown dims. */
export function attrShape(node: TfNode, key: string): number[] | undefined {
  const s = node.attr?.[key]?.shape;
  if (!s || s.unknownRank || !s.dim) return undefined;
  return s.dim.map((d) => Number(d.size ?? -1));
}
