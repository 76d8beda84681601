/**
 * Synthetic identity documents rendered in the test (sharp + SVG): an ID-1 card or a TD3 passport
 * page with text lines, a real development portrait composited on it (read in place from the shared
 * data folder), optionally an MRZ band of monospace text at the bottom, placed on a plain background.
 * Nothing here resembles a real document's design; only the layout features the check measures.
 */
import sharp from 'sharp';
import { sharedImage } from './shared-data.ts';

export type RenderedKind = 'ID1' | 'ID1_MRZ' | 'TD3';

export interface RenderOptions {
  kind: RenderedKind;
  /** Path under the shared data folder, e.g. faces/penny/penny1.png. */
  portrait: string;
  /** Where the portrait goes on the document. */
  portraitSide?: 'left' | 'right';
  /** Background around the document; null renders the document alone (a tight scan). */
  background?: string | null;
  /** Background margin in pixels. */
  margin?: number;
  /** Force the document's size (to render wrong aspect ratios). */
  size?: { width: number; height: number };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const MRZ_TD3 = ['P<MEXHERNANDEZ<LOPEZ<<MARIA<GUADALUPE<<<<<<<<', 'G123456789MEX8501017F3001012<<<<<<<<<<<<<<04'];
const MRZ_TD1 = ['IRMEX0012345678<<<<<<<<<<<<<<<', '8501017F3001012MEX<<<<<<<<<<<6', 'HERNANDEZ<LOPEZ<<MARIA<GUADALU'];

export async function renderDocument(opts: RenderOptions): Promise<Buffer> {
  const passport = opts.kind === 'TD3';
  const mrz = opts.kind !== 'ID1';
  const W = opts.size?.width ?? (passport ? 1250 : 856);
  const H = opts.size?.height ?? (passport ? 880 : 540);
  const mrzLines = passport ? MRZ_TD3 : MRZ_TD1.slice(0, 2);
  const mrzFont = Math.floor((W * 0.9) / (mrzLines[0]!.length * 0.602));
  const mrzHeight = mrz ? mrzLines.length * mrzFont * 1.15 + H * 0.04 : 0;

  // Portrait box: left (or right) third, between the header and the MRZ.
  const top = Math.round(H * (passport ? 0.2 : 0.2));
  const ph = Math.round((H - mrzHeight) * 0.68 - (mrz ? 0 : H * 0.04));
  const pw = Math.round(ph * 0.78);
  const left = opts.portraitSide === 'right' ? W - pw - Math.round(W * 0.05) : Math.round(W * 0.05);
  const textX = opts.portraitSide === 'right' ? Math.round(W * 0.05) : left + pw + Math.round(W * 0.04);

  const labels = passport
    ? ['PASAPORTE / PASSPORT', 'APELLIDOS / SURNAME', 'HERNANDEZ LOPEZ', 'NOMBRES / GIVEN NAMES', 'MARIA GUADALUPE', 'NACIONALIDAD  MEXICANA', 'FECHA DE NACIMIENTO  01 01 1985', 'LUGAR DE NACIMIENTO  JALISCO']
    : ['NOMBRE', 'HERNANDEZ LOPEZ', 'MARIA GUADALUPE', 'DOMICILIO  C. REFORMA 123', 'COL. CENTRO 06000 CDMX', 'CLAVE  HRLPMR85010114M700', 'CURP  HELM850101MJCRPR09'];
  const fontSize = Math.round(H * (passport ? 0.036 : 0.042));
  const lineGap = Math.round(fontSize * 1.75);
  const textLines = labels
    .map((t, i) => `<text x="${textX}" y="${top + fontSize + i * lineGap}" font-family="DejaVu Sans" font-size="${fontSize}" font-weight="${i % 2 ? 'bold' : 'normal'}" fill="#1d2a24">${esc(t)}</text>`)
    .join('');
  const header = `<text x="${Math.round(W * 0.05)}" y="${Math.round(H * 0.1)}" font-family="DejaVu Sans" font-size="${Math.round(fontSize * 1.1)}" font-weight="bold" fill="#17433a">${passport ? 'ESTADOS UNIDOS MEXICANOS' : 'DOCUMENTO DE IDENTIDAD DE PRUEBA'}</text>`;
  const mrzText = mrz
    ? `<rect x="0" y="${H - mrzHeight}" width="${W}" height="${mrzHeight}" fill="#f4f6f2"/>` +
      mrzLines.map((l, i) => `<text x="${Math.round(W * 0.05)}" y="${Math.round(H - mrzHeight + H * 0.02 + (i + 1) * mrzFont * 1.1)}" font-family="DejaVu Sans Mono" font-size="${mrzFont}" fill="#111">${esc(l)}</text>`).join('')
    : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#e3ede6"/><stop offset="1" stop-color="#cfe0d8"/></linearGradient></defs>
    <rect x="0" y="0" width="${W}" height="${H}" rx="${Math.round(H * 0.06)}" ry="${Math.round(H * 0.06)}" fill="url(#g)"/>
    ${header}${textLines}${mrzText}
    <rect x="${left - 4}" y="${top - 4}" width="${pw + 8}" height="${ph + 8}" fill="#9fb5aa"/>
  </svg>`;
  const portrait = await sharp(sharedImage(opts.portrait)).rotate().resize(pw, ph, { fit: 'cover', position: 'top' }).toBuffer();
  const card = await sharp(Buffer.from(svg)).composite([{ input: portrait, left, top }]).png().toBuffer();
  if (opts.background === null) return sharp(card).flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
  const margin = opts.margin ?? Math.round(W * 0.15);
  return sharp({ create: { width: W + 2 * margin, height: H + 2 * margin, channels: 3, background: opts.background ?? '#5a4a3c' } })
    .composite([{ input: card, left: margin, top: margin }])
    .jpeg({ quality: 92 })
    .toBuffer();
}
