// The DG-8 registration form (AST-1, AST-5..10): grouped sections, lists edited with Form.List, and the
// form <-> API conversions. Used for a new registration, editing a draft or returned one, and a change filing.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Col, DatePicker, Divider, Form, type FormInstance, Input, Row, Select, Space, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  CARRIER_KIND_LABEL,
  CARRIER_KINDS,
  CRYPTO_STATUS_LABEL,
  CRYPTO_STATUSES,
  HOSTING_LABEL,
  HOSTINGS,
  LEVEL_LABEL,
  LEVELS,
  MLPS_LEVELS,
  optionsOf,
} from '../../components/catalog.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { useT } from '../../i18n.tsx';
import type { CarrierKind, CryptoStatus, Hosting, LevelCode, SecurityLead, StorageCarrier, System, SystemFields, TrustedTerminal } from '../../types.ts';
import { PersonFields, rules } from '../institutions/profileForm.tsx';

export interface SystemFormValues {
  institutionId?: string;
  name: string;
  description?: string;
  securityLead?: Partial<SecurityLead>;
  securityMeasures?: string;
  assessmentResult?: string;
  assessmentOn?: Dayjs | null;
  auditConclusion?: string;
  mlpsLevel?: number | null;
  mlpsFilingNo?: string;
  mlpsEvaluatedOn?: Dayjs | null;
  cryptoStatus?: CryptoStatus;
  cryptoAssessedOn?: Dayjs | null;
  cii?: boolean;
  hosting?: Hosting | null;
  trustedTerminals?: Partial<TrustedTerminal>[];
  storageCarriers?: Partial<StorageCarrier>[];
  lastVulnScanOn?: Dayjs | null;
}

const trim = (s: string | undefined | null): string | undefined => {
  const v = s?.trim();
  return v ? v : undefined;
};
const day = (s: string | null | undefined): Dayjs | null => (s ? dayjs(s) : null);
const iso = (d: Dayjs | null | undefined): string | null => (d ? d.format('YYYY-MM-DD') : null);

function compact<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** An empty registration form (a new system). */
export const EMPTY_SYSTEM_FORM: SystemFormValues = {
  name: '',
  cryptoStatus: 'not_applied',
  cii: false,
  hosting: null,
  mlpsLevel: null,
  trustedTerminals: [],
  storageCarriers: [],
};

export function systemToForm(s: SystemFields): SystemFormValues {
  return {
    name: s.name,
    description: s.description ?? undefined,
    securityLead: s.securityLead ?? undefined,
    securityMeasures: s.securityMeasures ?? undefined,
    assessmentResult: s.assessmentResult ?? undefined,
    assessmentOn: day(s.assessmentOn),
    auditConclusion: s.auditConclusion ?? undefined,
    mlpsLevel: s.mlpsLevel ?? null,
    mlpsFilingNo: s.mlpsFilingNo ?? undefined,
    mlpsEvaluatedOn: day(s.mlpsEvaluatedOn),
    cryptoStatus: s.cryptoStatus ?? 'not_applied',
    cryptoAssessedOn: day(s.cryptoAssessedOn),
    cii: s.cii ?? false,
    hosting: s.hosting ?? null,
    trustedTerminals: s.trustedTerminals ?? [],
    storageCarriers: s.storageCarriers ?? [],
    lastVulnScanOn: day(s.lastVulnScanOn),
  };
}

/** The DG-8 fields of the form, as the API takes them (cleared optional values as null). */
export function formToFields(v: SystemFormValues): SystemFields {
  const lead = v.securityLead;
  const leadName = trim(lead?.name);
  return {
    name: v.name.trim(),
    description: trim(v.description) ?? null,
    securityLead: leadName
      ? compact({
          name: leadName,
          title: trim(lead?.title),
          department: trim(lead?.department),
          phone: trim(lead?.phone),
          email: trim(lead?.email),
        })
      : null,
    securityMeasures: trim(v.securityMeasures) ?? null,
    assessmentResult: trim(v.assessmentResult) ?? null,
    assessmentOn: iso(v.assessmentOn),
    auditConclusion: trim(v.auditConclusion) ?? null,
    mlpsLevel: v.mlpsLevel ?? null,
    mlpsFilingNo: trim(v.mlpsFilingNo) ?? null,
    mlpsEvaluatedOn: iso(v.mlpsEvaluatedOn),
    cryptoStatus: v.cryptoStatus ?? 'not_applied',
    cryptoAssessedOn: iso(v.cryptoAssessedOn),
    cii: !!v.cii,
    hosting: v.hosting ?? null,
    trustedTerminals: (v.trustedTerminals ?? [])
      .filter((x) => trim(x.name))
      .map((x) => compact({ name: (x.name ?? '').trim(), identifier: trim(x.identifier), location: trim(x.location), holder: trim(x.holder) })),
    storageCarriers: (v.storageCarriers ?? [])
      .filter((x) => trim(x.name) && x.kind && x.protectionLevel)
      .map(
        (x): StorageCarrier =>
          compact({
            name: (x.name ?? '').trim(),
            kind: x.kind as CarrierKind,
            protectionLevel: x.protectionLevel as LevelCode,
            location: trim(x.location),
            encrypted: x.encrypted ?? undefined,
          }),
      ),
    lastVulnScanOn: iso(v.lastVulnScanOn),
  };
}

/** Only the DG-8 fields that differ from the system as it is (a change filing carries just those). */
export function changedFields(next: SystemFields, base: System): Partial<SystemFields> {
  const out: Partial<SystemFields> = {};
  const baseFields = formToFields(systemToForm(base));
  for (const k of Object.keys(next) as (keyof SystemFields)[]) {
    if (JSON.stringify(next[k] ?? null) !== JSON.stringify(baseFields[k] ?? null)) {
      (out as Record<string, unknown>)[k] = next[k];
    }
  }
  return out;
}

function Section({ title, testId }: { title: string; testId: string }) {
  return (
    <Divider titlePlacement="start" data-testid={testId}>
      {title}
    </Divider>
  );
}

/** The grouped DG-8 fields; `withInstitution` adds the managing institution (new registrations only). */
export function SystemFormFields({ withInstitution, form }: { withInstitution: boolean; form: FormInstance<SystemFormValues> }) {
  const t = useT();
  const cryptoStatus = Form.useWatch('cryptoStatus', form);
  const hosting = Form.useWatch('hosting', form);
  return (
    <>
      <Section title={t('system.section.basic')} testId="system-section-basic" />
      <Row gutter={12}>
        {withInstitution && (
          <Col xs={24} md={12}>
            <Form.Item name="institutionId" label={t('system.institution')} rules={[{ required: true, message: t('validation.required') }]}>
              <InstitutionTreeSelect testId="system-form-institution" disable={(n) => n.kind === 'vendor' || n.kind === 'external_user'} />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} md={12}>
          <Form.Item name="name" label={t('system.name')} rules={rules.name(t)}>
            <Input maxLength={100} data-testid="system-form-name" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="description" label={t('system.description')} rules={[{ max: 2000, message: t('validation.max', { n: 2000 }) }]}>
            <Input.TextArea rows={2} maxLength={2000} showCount data-testid="system-form-description" />
          </Form.Item>
        </Col>
      </Row>

      <Section title={t('system.section.security')} testId="system-section-security" />
      <PersonFields path={['securityLead']} />
      <Form.Item name="securityMeasures" label={t('system.securityMeasures')} rules={[{ max: 4000, message: t('validation.max', { n: 4000 }) }]}>
        <Input.TextArea rows={3} maxLength={4000} placeholder={t('system.securityMeasuresPlaceholder')} data-testid="system-form-measures" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={16}>
          <Form.Item name="assessmentResult" label={t('system.assessmentResult')} rules={[{ max: 2000, message: t('validation.max', { n: 2000 }) }]}>
            <Input maxLength={2000} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="assessmentOn" label={t('system.assessmentOn')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="auditConclusion" label={t('system.auditConclusion')} rules={[{ max: 2000, message: t('validation.max', { n: 2000 }) }]}>
            <Input maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>

      <Section title={t('system.section.mlps')} testId="system-section-mlps" />
      <Row gutter={12}>
        <Col xs={24} md={6}>
          <Form.Item name="mlpsLevel" label={t('system.mlpsLevel')}>
            <Select
              allowClear
              data-testid="system-form-mlps"
              options={MLPS_LEVELS.map((n) => ({ value: n, label: t('system.mlpsN', { n }) }))}
              placeholder={t('system.mlpsNone')}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="mlpsFilingNo" label={t('system.mlpsFilingNo')} rules={[{ max: 50, message: t('validation.max', { n: 50 }) }]}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="mlpsEvaluatedOn" label={t('system.mlpsEvaluatedOn')} extra={t('system.mlpsEvaluatedExtra')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={4}>
          <Form.Item name="cii" label={t('system.cii')} valuePropName="checked" tooltip={t('system.ciiHint')}>
            <Switch data-testid="system-form-cii" />
          </Form.Item>
        </Col>
      </Row>

      <Section title={t('system.section.crypto')} testId="system-section-crypto" />
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="cryptoStatus" label={t('system.cryptoStatus')}>
            <Select options={optionsOf(CRYPTO_STATUSES, CRYPTO_STATUS_LABEL, t)} data-testid="system-form-crypto" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="cryptoAssessedOn"
            label={t('system.cryptoAssessedOn')}
            rules={[{ required: cryptoStatus === 'assessed', message: t('validation.required') }]}
          >
            <DatePicker style={{ width: '100%' }} disabled={cryptoStatus === 'not_applied'} />
          </Form.Item>
        </Col>
      </Row>

      <Section title={t('system.section.hosting')} testId="system-section-hosting" />
      <Form.Item name="hosting" label={t('system.hosting')} extra={hosting === 'public_cloud' ? t('system.publicCloudWarning') : undefined}>
        <Select allowClear options={optionsOf(HOSTINGS, HOSTING_LABEL, t)} style={{ maxWidth: 320 }} data-testid="system-form-hosting" />
      </Form.Item>
      <Form.Item label={t('system.trustedTerminals')} tooltip={t('system.trustedTerminalsHint')}>
        <Form.List name="trustedTerminals">
          {(fields, { add, remove }) => (
            <div data-testid="system-form-terminals">
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}>
                    <Input placeholder={t('system.terminal.name')} maxLength={100} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'identifier']} rules={[{ max: 100 }]}>
                    <Input placeholder={t('system.terminal.identifier')} maxLength={100} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'location']} rules={[{ max: 200 }]}>
                    <Input placeholder={t('system.terminal.location')} maxLength={200} style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'holder']} rules={[{ max: 100 }]}>
                    <Input placeholder={t('system.terminal.holder')} maxLength={100} style={{ width: 120 }} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} disabled={fields.length >= 1000} data-testid="system-form-terminal-add">
                {t('system.addTerminal')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form.Item>

      <Section title={t('system.section.storage')} testId="system-section-storage" />
      <Form.List name="storageCarriers">
        {(fields, { add, remove }) => (
          <div data-testid="system-form-carriers">
            {fields.map((field) => (
              <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}>
                  <Input placeholder={t('system.carrier.name')} maxLength={100} style={{ width: 180 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'kind']} rules={[{ required: true, message: t('system.carrier.kindRequired') }]}>
                  <Select<CarrierKind>
                    placeholder={t('system.carrier.kind')}
                    style={{ width: 150 }}
                    options={optionsOf(CARRIER_KINDS, CARRIER_KIND_LABEL, t)}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'location']} rules={[{ max: 200 }]}>
                  <Input placeholder={t('system.carrier.location')} maxLength={200} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'protectionLevel']} rules={[{ required: true, message: t('system.carrier.levelRequired') }]}>
                  <Select<LevelCode>
                    placeholder={t('system.carrier.protectionLevel')}
                    style={{ width: 170 }}
                    options={LEVELS.map((l) => ({ value: l, label: t(LEVEL_LABEL[l]) }))}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'encrypted']} valuePropName="checked">
                  <Checkbox>{t('system.carrier.encrypted')}</Checkbox>
                </Form.Item>
                <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} />
              </Space>
            ))}
            <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} disabled={fields.length >= 200} data-testid="system-form-carrier-add">
              {t('system.addCarrier')}
            </Button>
          </div>
        )}
      </Form.List>

      <Section title={t('system.section.vuln')} testId="system-section-vuln" />
      <Form.Item name="lastVulnScanOn" label={t('system.lastVulnScanOn')} extra={t('system.lastVulnScanExtra')}>
        <DatePicker style={{ width: 220 }} data-testid="system-form-vuln" />
      </Form.Item>
    </>
  );
}
