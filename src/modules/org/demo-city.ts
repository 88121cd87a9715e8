// The demo city loaded on the first `npm start` (embedded mode) or by `shuan seed-demo`: a city authority,
// a district authority with a street under it, institutions of several sectors, a regulator, a vendor with
// two staff, and one demo account per role. DEMO ONLY: the passwords and TOTP secret are public (README).
import { makeUscc } from '../../engines/identifiers/uscc.ts';
import type { Role } from './roles.ts';

export const DEMO_PASSWORD = 'Shuan#Demo2026';
/** One shared TOTP secret so a newcomer can add it to an authenticator app once. Demo city only. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface DemoInstitution {
  key: string;
  parent: string | null;
  kind: 'authority' | 'regulator' | 'institution' | 'vendor' | 'external_user';
  name: string;
  adminLevel: 'city' | 'district' | 'town' | null;
  sector: string;
  code: string | null;
  profile: Record<string, unknown>;
}

const year = new Date().getFullYear();
const profile = (lead: string, dept: string, chair: string, budgetYuan: number) => ({
  securityLead: { name: lead, title: '分管副局长', phone: '0591-87000000' },
  managingDepartment: dept,
  leadershipGroup: { chair: { name: chair, title: '局长' }, chairIsHead: true, members: [{ name: lead, title: '副组长' }] },
  emergencyBody: `${dept}（网络与数据安全应急工作小组）`,
  budgets: [{ year, amountFen: budgetYuan * 100, note: '数据安全专项' }],
  contacts: [{ name: `${lead}`, duty: '数据安全联络员', phone: '0591-87000001' }],
});

export const DEMO_INSTITUTIONS: DemoInstitution[] = [
  {
    key: 'city',
    parent: null,
    kind: 'authority',
    name: '示范市数据管理局',
    adminLevel: 'city',
    sector: 'data_management',
    code: makeUscc('11', '350100', 'MB0A0001'),
    profile: profile('林海', '数据安全处', '陈卫东', 1_200_000),
  },
  {
    key: 'district',
    parent: 'city',
    kind: 'authority',
    name: '示范市南湖区数据管理局',
    adminLevel: 'district',
    sector: 'data_management',
    code: makeUscc('11', '350102', 'MB0A0002'),
    profile: profile('黄晓明', '数据安全科', '郑国强', 300_000),
  },
  {
    key: 'street',
    parent: 'district',
    kind: 'institution',
    name: '南湖区滨江街道办事处',
    adminLevel: 'town',
    sector: 'town_street',
    code: makeUscc('11', '350102', 'MB0A0003'),
    profile: {},
  },
  {
    key: 'psb',
    parent: 'city',
    kind: 'institution',
    name: '示范市公安局',
    adminLevel: 'city',
    sector: 'public_security',
    code: makeUscc('11', '350100', 'MB0A0004'),
    profile: profile('王建华', '科技信息化处', '李强', 2_000_000),
  },
  {
    key: 'edu',
    parent: 'city',
    kind: 'institution',
    name: '示范市教育局',
    adminLevel: 'city',
    sector: 'education',
    code: makeUscc('11', '350100', 'MB0A0005'),
    profile: profile('刘芳', '信息中心', '张伟', 500_000),
  },
  {
    key: 'health',
    parent: 'city',
    kind: 'institution',
    name: '示范市卫生健康委员会',
    adminLevel: 'city',
    sector: 'health',
    code: makeUscc('11', '350100', 'MB0A0006'),
    profile: profile('赵敏', '规划信息处', '孙立', 800_000),
  },
  {
    key: 'hrss',
    parent: 'city',
    kind: 'institution',
    name: '示范市人力资源和社会保障局',
    adminLevel: 'city',
    sector: 'human_resources',
    code: makeUscc('11', '350100', 'MB0A0007'),
    profile: {},
  },
  {
    key: 'transport',
    parent: 'city',
    kind: 'institution',
    name: '示范市交通运输局',
    adminLevel: 'city',
    sector: 'transport',
    code: makeUscc('11', '350100', 'MB0A0008'),
    profile: {},
  },
  {
    key: 'civil',
    parent: 'district',
    kind: 'institution',
    name: '示范市南湖区民政局',
    adminLevel: 'district',
    sector: 'civil_affairs',
    code: makeUscc('11', '350102', 'MB0A0009'),
    profile: {},
  },
  {
    key: 'cac',
    parent: 'city',
    kind: 'regulator',
    name: '中共示范市委网络安全和信息化委员会办公室',
    adminLevel: 'city',
    sector: 'cyberspace',
    code: makeUscc('11', '350100', 'MB0A0010'),
    profile: {},
  },
  {
    key: 'vendor',
    parent: 'city',
    kind: 'vendor',
    name: '示范数智科技有限公司',
    adminLevel: null,
    sector: 'it_services',
    code: makeUscc('91', '350100', 'MA0A0011'),
    profile: {},
  },
];

export interface DemoUser {
  username: string;
  displayName: string;
  home: string;
  roles: { role: Role; at: string }[];
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: '平台管理员', home: 'city', roles: [{ role: 'platform_admin', at: 'city' }] },
  { username: 'city.admin', displayName: '吴静（市局管理员）', home: 'city', roles: [{ role: 'authority_admin', at: 'city' }] },
  { username: 'city.officer', displayName: '周涛（市局工作人员）', home: 'city', roles: [{ role: 'authority_officer', at: 'city' }] },
  { username: 'district.admin', displayName: '徐磊（区局管理员）', home: 'district', roles: [{ role: 'authority_admin', at: 'district' }] },
  // The authority's own security officer: handles its alerts and sets the city-wide alert rules (AUD-3).
  { username: 'city.security', displayName: '林峰（市局安全管理员）', home: 'city', roles: [{ role: 'security_officer', at: 'city' }] },
  { username: 'psb.admin', displayName: '马骏（公安局单位管理员）', home: 'psb', roles: [{ role: 'institution_admin', at: 'psb' }] },
  { username: 'psb.security', displayName: '胡婷（公安局安全管理员）', home: 'psb', roles: [{ role: 'security_officer', at: 'psb' }] },
  { username: 'psb.steward', displayName: '郭亮（公安局数据管理员）', home: 'psb', roles: [{ role: 'data_steward', at: 'psb' }] },
  { username: 'edu.user', displayName: '何琳（教育局数据使用人员）', home: 'edu', roles: [{ role: 'data_user', at: 'edu' }] },
  { username: 'city.auditor', displayName: '高洁（市局审计员）', home: 'city', roles: [{ role: 'auditor', at: 'city' }] },
  { username: 'cac.auditor', displayName: '罗斌（网信办监管人员）', home: 'cac', roles: [{ role: 'auditor', at: 'cac' }] },
  { username: 'vendor.ops1', displayName: '梁超（外包运维）', home: 'vendor', roles: [{ role: 'vendor_operator', at: 'psb' }] },
  { username: 'vendor.ops2', displayName: '宋雨（外包运维）', home: 'vendor', roles: [{ role: 'vendor_operator', at: 'health' }] },
];

/** 数据汇聚白名单 of the demo city: table pulls may reach databases on this machine only (a real deployment
 * starts with an empty list, i.e. every pull refused, until a security administrator adds its servers). */
export const DEMO_DATA_PULL_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/** The regulator (网信办) may read the public-security and health institutions' records. */
export const DEMO_READ_GRANTS = [
  { regulator: 'cac', institution: 'psb' },
  { regulator: 'cac', institution: 'health' },
];
