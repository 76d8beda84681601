/**
 * Byte fixtures for the mocks: a tiny synthetic JPEG (a colour gradient, no face) used for special
 * records when no demo photo applies, and non-image bytes for the "photo not an image" case.
 */
export const SYNTHETIC_JPEG_BASE64 =
  '/9j/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAwADADASIAAhEBAxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAQIDBP/EABUQAQEAAAAAAAAAAAAAAAAAAAEA/8QAGAEBAAMBAAAAAAAAAAAAAAAAAwABAgT/xAAWEQEBAQAAAAAAAAAAAAAAAAAAARH/2gAMAwEAAhEDEQA/AOYKgkKgn0kqQqCQkKtLKAqCQkLOklZhIVBIU1xSgJCoJCrSygJCoJCzpZWYSFQSFNcUoCQqCQq0koCQqCQs6WV//9k=';

export function syntheticJpeg(): Uint8Array {
  return new Uint8Array(Buffer.from(SYNTHETIC_JPEG_BASE64, 'base64'));
}

/** A PDF header and some text: decodes as base64 fine, but is not an image. */
export function notAnImage(): Uint8Array {
  return new Uint8Array(Buffer.from('%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /Catalog >> endobj\n'.repeat(4), 'latin1'));
}
