// Form parts shared by the institution edit drawer: person fields and the form <-> API conversions.
import { Col, Form, Input, Row, type FormRule as Rule } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { fenToYuan, isValidCreditCode, yuanToFen } from '../../format.ts';
import type { TFunction } from '../../i18n.tsx';
import { useT } from '../../i18n.tsx';
import type { Institution, InstitutionProfile, InstitutionUpdate, Sector } from '../../types.ts';

export interface PersonForm {
  name?: string;
  title?: string;
  department?: string;
  phone?: string;
  email?: string;
}
type Person = NonNullable<InstitutionProfile['securityLead']>;
type Contact = NonNullable<InstitutionProfile['contacts']>[number];

export interface EditValues {
  name: string;
  shortName?: string;
  code?: string;
  sector: Sector;
  status: 'active' | 'closed';
  securityLead?: PersonForm;
  managingDepartment?: string;
  chair?: PersonForm;
  chairIsHead?: boolean;
  members?: PersonForm[];
  establishedOn?: Dayjs | null;
  emergencyBody?: string;
  piOfficer?: PersonForm;
  budgets?: { year?: number; amountYuan?: number; note?: string }[];
  contacts?: { name?: string; duty?: string; phone?: string; email?: string }[];
}

const trimOrUndef = (s: string | undefined | null): string | undefined => {
  const v = s?.trim();
  return v ? v : undefined;
};

function compact<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

export function toPerson(p: PersonForm | undefined): Person | undefined {
  if (!p) return undefined;
  const name = trimOrUndef(p.name);
  if (!name) return undefined;
  return compact({
    name,
    title: trimOrUndef(p.title),
    department: trimOrUndef(p.department),
    phone: trimOrUndef(p.phone),
    email: trimOrUndef(p.email),
  });
}

function personHasAny(p: PersonForm | undefined): boolean {
  return !!p && Object.values(p).some((v) => typeof v === 'string' && v.trim() !== '');
}

export function toForm(inst: Institution): EditValues {
  const p = inst.profile ?? {};
  const lg = p.leadershipGroup;
  return {
    name: inst.name,
    shortName: inst.shortName ?? undefined,
    code: inst.code ?? undefined,
    sector: inst.sector,
    status: inst.status,
    securityLead: p.securityLead,
    managingDepartment: p.managingDepartment,
    chair: lg?.chair,
    chairIsHead: lg?.chairIsHead ?? false,
    members: lg?.members ?? [],
    establishedOn: lg?.establishedOn ? dayjs(lg.establishedOn) : null,
    emergencyBody: p.emergencyBody,
    piOfficer: p.piOfficer,
    budgets: (p.budgets ?? []).map((b) => ({ year: b.year, amountYuan: fenToYuan(b.amountFen), note: b.note })),
    contacts: p.contacts ?? [],
  };
}

export function toUpdate(v: EditValues, base: Institution): InstitutionUpdate {
  const chair = toPerson(v.chair);
  const members = (v.members ?? []).map(toPerson).filter((m): m is Person => !!m);
  const profile: InstitutionProfile = compact({
    securityLead: toPerson(v.securityLead),
    managingDepartment: trimOrUndef(v.managingDepartment),
    leadershipGroup: chair
      ? compact({
          chair,
          chairIsHead: !!v.chairIsHead,
          members,
          establishedOn: v.establishedOn ? v.establishedOn.format('YYYY-MM-DD') : undefined,
        })
      : undefined,
    emergencyBody: trimOrUndef(v.emergencyBody),
    piOfficer: toPerson(v.piOfficer),
    budgets: (v.budgets ?? [])
      .filter((b) => b.year !== undefined && b.year !== null && b.amountYuan !== undefined && b.amountYuan !== null)
      .map((b) => compact({ year: Number(b.year), amountFen: yuanToFen(Number(b.amountYuan)), note: trimOrUndef(b.note) })),
    contacts: (v.contacts ?? [])
      .filter((c) => trimOrUndef(c.name))
      .map(
        (c): Contact =>
          compact({
            name: (c.name ?? '').trim(),
            duty: trimOrUndef(c.duty),
            phone: trimOrUndef(c.phone),
            email: trimOrUndef(c.email),
          }),
      ),
  });
  // Registration facts (name, short name, code, sector, status) are the supervising authority's to change:
  // the server refuses an update that carries any of them from anyone else, so only changed ones are sent.
  const update: InstitutionUpdate = { profile, version: base.version };
  const name = v.name.trim();
  const shortName = trimOrUndef(v.shortName) ?? null;
  const code = trimOrUndef(v.code)?.toUpperCase() ?? null;
  if (name !== base.name) update.name = name;
  if (shortName !== (base.shortName ?? null)) update.shortName = shortName;
  if (code !== (base.code ?? null)) update.code = code;
  if (v.sector !== base.sector) update.sector = v.sector;
  if (v.status !== base.status) update.status = v.status;
  return update;
}

// Validation rules mirroring org.schemas.ts.
export const rules = {
  name: (t: TFunction): Rule[] => [
    { required: true, whitespace: true, message: t('validation.required') },
    { max: 100, message: t('validation.max', { n: 100 }) },
  ],
  short: (t: TFunction, n = 100): Rule[] => [{ max: n, message: t('validation.max', { n }) }],
  phone: (t: TFunction): Rule[] => [
    { max: 32, message: t('validation.max', { n: 32 }) },
    { pattern: /^[0-9+()\- ]*$/, message: t('validation.phone') },
  ],
  email: (t: TFunction): Rule[] => [
    { max: 254, message: t('validation.max', { n: 254 }) },
    { type: 'email', message: t('validation.email') },
  ],
  creditCode: (t: TFunction): Rule[] => [
    {
      validator: async (_r, v: string | undefined) => {
        const s = v?.trim().toUpperCase();
        if (!s) return;
        if (s.length !== 18 || !/^[0-9A-HJ-NP-RTUWXY]{18}$/.test(s)) throw new Error(t('validation.creditCodeFormat'));
        if (!isValidCreditCode(s)) throw new Error(t('validation.creditCodeCheck'));
      },
    },
  ],
};

/** Name/title/department/phone/email for one person; the name is required once anything is filled. */
export function PersonFields({ path, requiredWhen }: { path: (string | number)[]; requiredWhen?: (get: (p: (string | number)[]) => unknown) => boolean }) {
  const t = useT();
  const nameRule: Rule = ({ getFieldValue }) => ({
    validator: async (_r, v: string | undefined) => {
      if (v?.trim()) return;
      const person = getFieldValue(path) as PersonForm | undefined;
      if (personHasAny(person) || requiredWhen?.(getFieldValue)) throw new Error(t('validation.personName'));
    },
  });
  return (
    <Row gutter={12}>
      <Col xs={24} md={8}>
        <Form.Item
          name={[...path, 'name']}
          label={t('common.name')}
          rules={[nameRule, { max: 100, message: t('validation.max', { n: 100 }) }]}
          dependencies={[
            [...path, 'title'],
            [...path, 'department'],
            [...path, 'phone'],
            [...path, 'email'],
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name={[...path, 'title']} label={t('common.title')} rules={rules.short(t)}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name={[...path, 'department']} label={t('common.department')} rules={rules.short(t)}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={[...path, 'phone']} label={t('common.phone')} rules={rules.phone(t)}>
          <Input maxLength={32} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={[...path, 'email']} label={t('common.email')} rules={rules.email(t)}>
          <Input maxLength={254} />
        </Form.Item>
      </Col>
    </Row>
  );
}
