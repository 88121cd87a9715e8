// Personal-information vocabulary (AST-11, CLS-3; domain.md §2). PI_TYPE_IDS is the catalog's PI_TYPES
// list (src/modules/catalog/catalog.constants.ts; pi.test.ts keeps the two equal): engines do not import
// module files. The mapping from recognizer types to PI types is data, and every entry can be overridden
// per scan (the guidance moves: a bare ID number is personal but not sensitive, an ID-card image is).
import type { BuiltinType } from './types.ts';

export const PI_TYPE_IDS = [
  'name',
  'id_number',
  'id_document_image',
  'phone',
  'email',
  'address',
  'birth_date',
  'biometric',
  'religion',
  'specific_identity',
  'health',
  'financial_account',
  'location_track',
  'minor',
  'credentials',
  'communication',
  'education_work',
  'property',
  'vehicle',
  'device_id',
  'other',
] as const;
export type PiTypeId = (typeof PI_TYPE_IDS)[number];

/** Sensitive by default (PIPL art. 28, GB/T 35273 Annex B): the same defaults as the catalog's labels. */
export const PI_SENSITIVE_DEFAULT: Readonly<Record<PiTypeId, boolean>> = {
  name: false,
  id_number: false,
  id_document_image: true,
  phone: false,
  email: false,
  address: false,
  birth_date: false,
  biometric: true,
  religion: true,
  specific_identity: true,
  health: true,
  financial_account: true,
  location_track: true,
  minor: true,
  credentials: true,
  communication: true,
  education_work: false,
  property: false,
  vehicle: false,
  device_id: false,
  other: false,
};

export interface PiMapping {
  piType: PiTypeId;
  sensitive: boolean;
}

const pi = (piType: PiTypeId, sensitive = PI_SENSITIVE_DEFAULT[piType]): PiMapping => ({ piType, sensitive });

/** What each built-in type counts as; null = not personal information (organisation codes). */
export const DEFAULT_PI_MAPPING: Readonly<Record<BuiltinType, PiMapping | null>> = {
  CN_RESIDENT_ID: pi('id_number'),
  CN_USCC: null,
  CN_ORG_CODE: null,
  CN_MOBILE: pi('phone'),
  CN_LANDLINE: pi('phone'),
  BANK_CARD: pi('financial_account'),
  CN_PASSPORT: pi('id_number'),
  CN_HK_MACAU_PERMIT: pi('id_number'),
  CN_TAIWAN_PERMIT: pi('id_number'),
  CN_LICENSE_PLATE: pi('vehicle'),
  EMAIL: pi('email'),
  IPV4: pi('device_id'),
  IPV6: pi('device_id'),
  CN_NAME: pi('name'),
  CN_ADDRESS: pi('address'),
  DATE_OF_BIRTH: pi('birth_date'),
  KW_HEALTH: pi('health'),
  KW_RELIGION: pi('religion'),
  KW_BIOMETRIC: pi('biometric'),
  // GB/T 35273 Annex B lists unpublished criminal records among sensitive PI; the catalog has no own type.
  KW_CRIMINAL_RECORD: pi('other', true),
  KW_FINANCIAL_ACCOUNT: pi('financial_account'),
  KW_LOCATION_TRACK: pi('location_track'),
  KW_MINOR: pi('minor'),
};
