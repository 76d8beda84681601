/** What every model builder declares, and what models/manifest.json records per model. */

export interface ModelIO {
  name: string;
  /** Symbolic dims are strings, e.g. 'N'. */
  shape: Array<number | string>;
}

export interface ModelManifestEntry {
  name: string;
  file: string;
  sha256: string;
  bytes: number;
  task: 'detector' | 'landmarks' | 'recognizer' | 'antispoof' | 'liveness';
  source: { package: string; version: string; path: string[]; licence: string };
  input: ModelIO & {
    layout: 'NHWC' | 'NCHW';
    channelOrder: 'RGB' | 'BGR';
    /** Pixel p (0..255) is fed as (p - mean) / std, per channel in channelOrder. */
    normalisation: { mean: number[]; std: number[] };
  };
  outputs: ModelIO[];
  /** Free-form notes: conversion choices, known limits. */
  notes?: string;
}

export interface BuiltModel {
  bytes: Uint8Array;
  entry: Omit<ModelManifestEntry, 'sha256' | 'bytes' | 'file'>;
}

export interface ModelSpec {
  name: string;
  build(): Promise<BuiltModel>;
}
