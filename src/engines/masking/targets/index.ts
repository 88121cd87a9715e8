// The identifier targets and their formats (partial mask, token, canonical form).
import type { MaskTarget } from '../target.ts';
import { bankCard } from './bank-card.ts';
import { email } from './email.ts';
import { ipv4, ipv6 } from './ip.ts';
import { name } from './name.ts';
import { passport } from './passport.ts';
import { landline, mobile } from './phone.ts';
import { plate } from './plate.ts';
import { residentId } from './resident-id.ts';
import type { IdentifierFormat } from './types.ts';
import { uscc } from './uscc.ts';

export const IDENTIFIER_FORMATS: Partial<Record<MaskTarget, IdentifierFormat>> = {
  name,
  resident_id: residentId,
  passport,
  mobile,
  landline,
  email,
  bank_card: bankCard,
  plate,
  ipv4,
  ipv6,
  uscc,
};
