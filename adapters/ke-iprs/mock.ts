/**
 * IPRS mock: a WCF SOAP 1.1 endpoint. Checks SOAPAction and the body's log/pass, answers
 * GetDataByIdCardResult with data-contract fields in alphabetical order, `i:nil="true"` for empty
 * ones, business errors as HTTP 200 with ErrorOcurred=true, and server faults as HTTP 500.
 */
import { XMLParser } from 'fast-xml-parser';
import { http, HttpResponse } from 'msw';
import type { ConformanceFixture, MockInstance } from '../../src/registry/plugin.ts';
import { MOCK_CREDENTIALS } from './index.ts';
import { dotNetDate, type MockContext } from '../../mocks/common.ts';
import { notAnImage } from '../../mocks/fixtures.ts';
import type { MockPerson } from '../../mocks/types.ts';

const SOAP_ACTION = 'http://tempuri.org/IServiceIPRS/GetDataByIdCard';
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });

function esc(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

const FIELDS = [
  'Citizenship', 'Clan', 'Date_of_Birth', 'Date_of_Death', 'Date_of_Expiry', 'Date_of_Issue', 'ErrorCode', 'ErrorMessage',
  'ErrorOcurred', 'Ethnic_Group', 'Family', 'Fingerprint', 'First_Name', 'Gender', 'ID_Number', 'Occupation', 'Other_Name',
  'Photo', 'Pin', 'Place_of_Birth', 'Place_of_Death', 'Place_of_Live', 'RegOffice', 'Serial_Number', 'Signature', 'Surname',
] as const;
type Field = (typeof FIELDS)[number];

function envelope(values: Partial<Record<Field, string>>): string {
  const inner = FIELDS.map((f) => (values[f] === undefined ? `<a:${f} i:nil="true"/>` : `<a:${f}>${esc(values[f]!)}</a:${f}>`)).join('');
  return (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    '<GetDataByIdCardResponse xmlns="http://tempuri.org/">' +
    '<GetDataByIdCardResult xmlns:a="http://schemas.datacontract.org/2004/07/IPRSManager" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
    inner +
    '</GetDataByIdCardResult></GetDataByIdCardResponse></s:Body></s:Envelope>'
  );
}

function xml(body: string, status = 200) {
  return new HttpResponse(body, { status, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

function fault(code: string, message: string) {
  return xml(
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
      `<faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">${code}</faultcode>` +
      `<faultstring xml:lang="en-US">${esc(message)}</faultstring></s:Fault></s:Body></s:Envelope>`,
    500,
  );
}

function businessError(code: string, message: string) {
  return xml(envelope({ ErrorCode: code, ErrorMessage: message, ErrorOcurred: 'true' }));
}

function record(p: MockPerson, photo: string | undefined, extra: Partial<Record<Field, string>> = {}): string {
  return envelope({
    Citizenship: 'Kenyan',
    Date_of_Birth: dotNetDate(p.date_of_birth),
    Date_of_Issue: '3/14/2015 12:00:00 AM',
    ErrorOcurred: 'false',
    First_Name: p.first_name.toUpperCase(),
    Gender: p.gender,
    ID_Number: p.id_number,
    Occupation: 'FARMER',
    Other_Name: p.middle_name?.toUpperCase(),
    Photo: photo,
    Place_of_Birth: 'NAIROBI',
    Place_of_Live: (p.address ?? 'NAIROBI').toUpperCase(),
    RegOffice: 'WESTLANDS',
    Serial_Number: `2${p.id_number.padStart(8, '0')}`,
    Surname: p.last_name.toUpperCase(),
    ...extra,
  });
}

function iprsHandlers(ctx: MockContext, baseUrl: string) {
  const creds = MOCK_CREDENTIALS;
  return [
    http.post(baseUrl, async ({ request }) => {
      await ctx.latency('soap');
      const action = (request.headers.get('soapaction') ?? '').replace(/"/g, '');
      if (!/text\/xml/i.test(request.headers.get('content-type') ?? '')) {
        return new HttpResponse(null, { status: 415, statusText: 'Cannot process the message because the content type was not the expected type' });
      }
      if (action !== SOAP_ACTION) {
        return fault('a:ActionNotSupported', `The message with Action '${action}' cannot be processed at the receiver.`);
      }
      let op: Record<string, unknown> | undefined;
      try {
        const doc = parser.parse(await request.text(), true) as { Envelope?: { Body?: { GetDataByIdCard?: Record<string, unknown> } } };
        op = doc.Envelope?.Body?.GetDataByIdCard;
      } catch {
        op = undefined;
      }
      if (!op || typeof op !== 'object') return fault('s:Client', 'The request body is not a GetDataByIdCard message.');
      if (String(op.log ?? '') !== creds.username || String(op.pass ?? '') !== creds.password) {
        return businessError('401', 'Authentication failed: invalid log or pass');
      }
      const id = String(op.id_number ?? '').trim();
      if (!/^\d{1,9}$/.test(id)) return businessError('400', 'Invalid ID number format');
      ctx.bump('ke-iprs');
      const retryAfter = ctx.rateLimiter.hit(`ke-iprs:${creds.username}`);
      if (retryAfter !== undefined) return new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': String(retryAfter) } });

      const special = ctx.special('ke-iprs', id);
      switch (special) {
        case 'not_found':
          return businessError('404', `No record found for ID number ${id}`);
        case 'remote_invalid':
          return businessError('400', 'Invalid ID number format');
        case 'rate_limited':
          return new HttpResponse('Too Many Requests', { status: 429, headers: { 'retry-after': '60' } });
        case 'server_error':
          return fault('a:InternalServiceFault', 'The server was unable to process the request due to an internal error.');
        case 'hang':
          await ctx.hang(request.signal);
          return fault('s:Server', 'Timeout');
        case 'malformed':
          return xml('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetDataByIdCardResponse><GetDataByIdCardResult><a:First_Na');
        case 'photo_missing':
          return xml(record(ctx.placeholder('KE_NATIONAL_ID', id), undefined));
        case 'restricted':
          return xml(record(ctx.placeholder('KE_NATIONAL_ID', id), undefined, { Date_of_Death: '2/2/2021 12:00:00 AM', Place_of_Death: 'NAKURU' }));
        case 'photo_not_image':
          return xml(record(ctx.placeholder('KE_NATIONAL_ID', id), Buffer.from(notAnImage()).toString('base64')));
        case 'flaky':
          if (ctx.bump('ke-iprs:flaky') % 2 === 1) return fault('a:InternalServiceFault', 'Transient failure.');
          return xml(record(ctx.placeholder('KE_NATIONAL_ID', id), Buffer.from(ctx.placeholder('', '').photo).toString('base64')));
        default:
          break;
      }
      const person = ctx.findPerson('KE_NATIONAL_ID', id);
      if (!person) return businessError('404', `No record found for ID number ${id}`);
      return xml(record(person, Buffer.from(person.photo).toString('base64')));
    }),
  ];
}

export function createMock(ctx: MockContext, baseUrl: string): MockInstance {
  return { handlers: iprsHandlers(ctx, baseUrl) };
}

export const conformance: ConformanceFixture = {
  idType: 'KE_NATIONAL_ID',
  foundId: '31415926',
  invalidLocal: ['123456', '123456789', '3141592A'],
  badCredentials: { password: 'wrong-password' },
};
