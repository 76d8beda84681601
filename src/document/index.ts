/** The ID-image layout check used by POST /v1/face-match (`documentType`). */
export * from './check.ts';
export * from './layouts.ts';
export { measureDocument, findDocumentRect, type DocumentMeasures, type Rect, type TextBand } from './measure.ts';
