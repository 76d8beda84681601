/**
 * Document types accepted by POST /v1/face-match (`documentType`) and the layout each one is
 * checked against. Sizes are the ICAO 9303 formats: ID-1 cards (TD1, 85.60 × 53.98 mm, aspect
 * 1.586) and passport data pages (TD3, 125 × 88 mm, aspect 1.42).
 */

export const DOCUMENT_TYPES = ['IFE', 'INE', 'MEX_PASSPORT', 'MEX_RESIDENCE_CARD', 'MEX_PROFESSIONAL_ID', 'ANY'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export type SpecificDocumentType = Exclude<DocumentType, 'ANY'>;

export type LayoutFamily = 'ID1_CARD' | 'TD3_PASSPORT_PAGE';

export interface FamilySpec {
  /** Long side / short side of the physical document. */
  aspect: number;
  /** Accepted relative deviation of the measured aspect (perspective, crop margins). */
  tolerance: number;
}

export const FAMILIES: Record<LayoutFamily, FamilySpec> = {
  ID1_CARD: { aspect: 85.6 / 53.98, tolerance: 0.06 },
  TD3_PASSPORT_PAGE: { aspect: 125 / 88, tolerance: 0.05 },
};

export interface DocumentLayout {
  family: LayoutFamily;
  /** The portrait sits on the left part of the document (its centre in the left half). */
  portraitLeft: boolean;
  /** A machine-readable zone (full-width monospace text band) at the bottom of the imaged side. */
  mrz: boolean;
  description: string;
}

/**
 * INE and IFE voter cards share the ID-1 front layout (portrait on the left, no MRZ on the front), so
 * the check cannot tell them apart. The residence card is checked on the side that carries the MRZ
 * band and a portrait, as the type's layout requires here.
 */
export const LAYOUTS: Record<SpecificDocumentType, DocumentLayout> = {
  INE: { family: 'ID1_CARD', portraitLeft: true, mrz: false, description: 'INE voter card (ID-1 card, portrait on the left, no MRZ on the front)' },
  IFE: { family: 'ID1_CARD', portraitLeft: true, mrz: false, description: 'IFE voter card (ID-1 card, portrait on the left, no MRZ on the front)' },
  MEX_PROFESSIONAL_ID: { family: 'ID1_CARD', portraitLeft: true, mrz: false, description: 'Professional ID card (ID-1 card, portrait on the left)' },
  MEX_RESIDENCE_CARD: { family: 'ID1_CARD', portraitLeft: true, mrz: true, description: 'Residence card (ID-1 card, portrait on the left, MRZ band at the bottom)' },
  MEX_PASSPORT: { family: 'TD3_PASSPORT_PAGE', portraitLeft: true, mrz: true, description: 'Passport data page (TD3, portrait on the left, two-line MRZ at the bottom)' },
};
