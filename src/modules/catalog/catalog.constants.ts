// Enumerations of the data resource catalog (AST-4, AST-11, LIF-1), shared by server and web (glossary.md
// names: codes in English, labels zh first). Pure data: no imports, safe to bundle into the web app.

type Labels<T extends string> = Record<T, { zh: string; en: string }>;

/** AST-4 共享属性. Anything but unconditional sharing needs its legal basis (SHARE_BASIS_REQUIRED). */
export const SHARE_ATTRIBUTES = ['unconditional', 'conditional', 'not_shared'] as const;
export type ShareAttribute = (typeof SHARE_ATTRIBUTES)[number];
export const SHARE_ATTRIBUTE_LABELS: Labels<ShareAttribute> = {
  unconditional: { zh: '无条件共享', en: 'Shared unconditionally' },
  conditional: { zh: '受限共享', en: 'Shared with conditions' },
  not_shared: { zh: '不予共享', en: 'Not shared' },
};
/** The share attributes whose choice must cite a legal basis (AST-4). */
export const SHARE_ATTRIBUTES_NEEDING_BASIS: readonly ShareAttribute[] = ['conditional', 'not_shared'];

/** AST-4 开放属性. */
export const OPEN_ATTRIBUTES = ['open', 'conditional', 'not_open'] as const;
export type OpenAttribute = (typeof OPEN_ATTRIBUTES)[number];
export const OPEN_ATTRIBUTE_LABELS: Labels<OpenAttribute> = {
  open: { zh: '无条件开放', en: 'Open unconditionally' },
  conditional: { zh: '有条件开放', en: 'Open with conditions' },
  not_open: { zh: '不予开放', en: 'Not open' },
};

/** 更新周期 of a resource, as government resource catalogs record it. */
export const UPDATE_FREQUENCIES = ['realtime', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'irregular', 'static'] as const;
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];
export const UPDATE_FREQUENCY_LABELS: Labels<UpdateFrequency> = {
  realtime: { zh: '实时', en: 'Real time' },
  hourly: { zh: '每小时', en: 'Hourly' },
  daily: { zh: '每日', en: 'Daily' },
  weekly: { zh: '每周', en: 'Weekly' },
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  semiannual: { zh: '每半年', en: 'Every six months' },
  annual: { zh: '每年', en: 'Yearly' },
  irregular: { zh: '不定期', en: 'Irregular' },
  static: { zh: '不更新', en: 'Not updated' },
};

/** 数据项类型: the data type of a field (column). */
export const FIELD_DATA_TYPES = ['string', 'text', 'integer', 'decimal', 'boolean', 'date', 'datetime', 'time', 'binary', 'json', 'geometry'] as const;
export type FieldDataType = (typeof FIELD_DATA_TYPES)[number];
export const FIELD_DATA_TYPE_LABELS: Labels<FieldDataType> = {
  string: { zh: '字符型', en: 'String' },
  text: { zh: '长文本', en: 'Long text' },
  integer: { zh: '整数型', en: 'Integer' },
  decimal: { zh: '数值型', en: 'Decimal' },
  boolean: { zh: '布尔型', en: 'Boolean' },
  date: { zh: '日期型', en: 'Date' },
  datetime: { zh: '日期时间型', en: 'Date and time' },
  time: { zh: '时间型', en: 'Time' },
  binary: { zh: '二进制（文件、图像）', en: 'Binary (file, image)' },
  json: { zh: '结构化（JSON）', en: 'Structured (JSON)' },
  geometry: { zh: '空间坐标', en: 'Geometry' },
};

/**
 * Personal-information types a field can be labelled with (AST-11, CLS-3), after PIPL art. 28 and
 * GB/T 35273 annexes A/B (domain.md §2). `sensitive` is only the default a labeller starts from: the
 * field label carries its own piSensitive flag, because the mapping is a matter of guidance that
 * changes (a bare ID number is now treated as personal but not sensitive, an ID-card image as sensitive).
 */
export const PI_TYPES = [
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
export type PiType = (typeof PI_TYPES)[number];
export const PI_TYPE_LABELS: Record<PiType, { zh: string; en: string; sensitive: boolean }> = {
  name: { zh: '姓名', en: 'Name', sensitive: false },
  id_number: { zh: '身份证件号码', en: 'ID document number', sensitive: false },
  id_document_image: { zh: '身份证件影像', en: 'ID document image', sensitive: true },
  phone: { zh: '电话号码', en: 'Phone number', sensitive: false },
  email: { zh: '电子邮箱', en: 'Email address', sensitive: false },
  address: { zh: '住址', en: 'Address', sensitive: false },
  birth_date: { zh: '出生日期', en: 'Date of birth', sensitive: false },
  biometric: { zh: '生物识别信息', en: 'Biometrics', sensitive: true },
  religion: { zh: '宗教信仰', en: 'Religious belief', sensitive: true },
  specific_identity: { zh: '特定身份', en: 'Specific identity', sensitive: true },
  health: { zh: '医疗健康信息', en: 'Medical and health', sensitive: true },
  financial_account: { zh: '金融账户信息', en: 'Financial account', sensitive: true },
  location_track: { zh: '行踪轨迹', en: 'Whereabouts and tracks', sensitive: true },
  minor: { zh: '不满十四周岁未成年人信息', en: 'Child under 14', sensitive: true },
  credentials: { zh: '账号口令', en: 'Account credentials', sensitive: true },
  communication: { zh: '通信内容', en: 'Communications content', sensitive: true },
  education_work: { zh: '教育工作信息', en: 'Education and work', sensitive: false },
  property: { zh: '财产信息', en: 'Property', sensitive: false },
  vehicle: { zh: '车辆信息', en: 'Vehicle', sensitive: false },
  device_id: { zh: '设备标识', en: 'Device identifier', sensitive: false },
  other: { zh: '其他个人信息', en: 'Other personal information', sensitive: false },
};

/** Where a resource's PI counts come from (AST-11): the institution's declaration or a discovery scan. */
export const PI_SOURCES = ['declared', 'discovery'] as const;
export type PiSource = (typeof PI_SOURCES)[number];
export const PI_SOURCE_LABELS: Labels<PiSource> = {
  declared: { zh: '单位申报', en: 'Declared' },
  discovery: { zh: '敏感数据识别', en: 'Discovery' },
};

/** LIF-1: the five parts of a collection record; a record is complete when all five are filled in. */
export const COLLECTION_PARTS = ['purpose', 'legalBasis', 'method', 'frequency', 'scope'] as const;
export type CollectionPart = (typeof COLLECTION_PARTS)[number];
export const COLLECTION_PART_LABELS: Labels<CollectionPart> = {
  purpose: { zh: '采集目的', en: 'Purpose' },
  legalBasis: { zh: '采集依据', en: 'Legal basis' },
  method: { zh: '采集方式/渠道', en: 'Method / channel' },
  frequency: { zh: '采集频率', en: 'Frequency' },
  scope: { zh: '采集范围', en: 'Scope' },
};

/**
 * ORG-4 (DG-23, PIPL art. 52): an institution must name a PI protection officer once its PI covers at
 * least `people` people, or more than `sensitivePeople` people's sensitive PI. Note the asymmetry
 * (≥ versus >): it is the rules' wording.
 */
export const PI_OFFICER_THRESHOLDS = { people: 1_000_000, sensitivePeople: 100_000 } as const;

export function crossesPeopleThreshold(people: number): boolean {
  return people >= PI_OFFICER_THRESHOLDS.people;
}
export function crossesSensitiveThreshold(sensitivePeople: number): boolean {
  return sensitivePeople > PI_OFFICER_THRESHOLDS.sensitivePeople;
}
