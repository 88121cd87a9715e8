// Enumerations shared by server and web (glossary.md names).
export const INSTITUTION_KINDS = ['authority', 'regulator', 'institution', 'vendor', 'external_user'] as const;
export const INSTITUTION_KIND_LABELS: Record<(typeof INSTITUTION_KINDS)[number], { zh: string; en: string }> = {
  authority: { zh: '公共数据主管部门', en: 'Data authority' },
  regulator: { zh: '监管部门', en: 'Regulator' },
  institution: { zh: '公共管理和服务机构', en: 'Institution' },
  vendor: { zh: '外包服务商', en: 'Vendor' },
  external_user: { zh: '数据使用机构', en: 'External data user' },
};

export const ADMIN_LEVELS = ['city', 'district', 'town'] as const;
export const ADMIN_LEVEL_LABELS: Record<(typeof ADMIN_LEVELS)[number], { zh: string; en: string }> = {
  city: { zh: '市级', en: 'City' },
  district: { zh: '区县级', en: 'District / county' },
  town: { zh: '镇街/园区', en: 'Town / street / park' },
};

export const SECTORS = [
  'data_management',
  'general_government',
  'public_security',
  'education',
  'health',
  'human_resources',
  'civil_affairs',
  'transport',
  'natural_resources',
  'market_regulation',
  'finance_tax',
  'housing',
  'utilities',
  'town_street',
  'park',
  'cyberspace',
  'it_services',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];
export const SECTOR_LABELS: Record<Sector, { zh: string; en: string }> = {
  data_management: { zh: '数据管理', en: 'Data management' },
  general_government: { zh: '综合政务', en: 'General government' },
  public_security: { zh: '公安', en: 'Public security' },
  education: { zh: '教育', en: 'Education' },
  health: { zh: '卫生健康', en: 'Health' },
  human_resources: { zh: '人力资源和社会保障', en: 'Human resources & social security' },
  civil_affairs: { zh: '民政', en: 'Civil affairs' },
  transport: { zh: '交通运输', en: 'Transport' },
  natural_resources: { zh: '自然资源', en: 'Natural resources' },
  market_regulation: { zh: '市场监管', en: 'Market regulation' },
  finance_tax: { zh: '财政税务', en: 'Finance & tax' },
  housing: { zh: '住房城乡建设', en: 'Housing & construction' },
  utilities: { zh: '公用事业', en: 'Public utilities' },
  town_street: { zh: '镇街', en: 'Town / street' },
  park: { zh: '园区', en: 'Park' },
  cyberspace: { zh: '网信', en: 'Cyberspace affairs' },
  it_services: { zh: '信息技术服务', en: 'IT services' },
  other: { zh: '其他', en: 'Other' },
};
