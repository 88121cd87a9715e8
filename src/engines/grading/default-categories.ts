// The default category tree of public data (CLS-1, domain.md §1: classify by sector first, then by business
// attributes). Sector codes follow the institution sectors of the org module (org.constants.ts), so the
// web can offer an institution its own sector's branch first. Authorities adapt the tree through a new
// scheme version; codes here are never reused for a different meaning.
import type { Category } from './categories.ts';

type Sub = readonly [segment: string, name: string];
type Cat = readonly [segment: string, name: string, subs: readonly Sub[]];

/** Builds a sector branch; codes are composed here so a child's code always extends its parent's. */
function sector(code: string, name: string, cats: readonly Cat[]): Category {
  return {
    code,
    name,
    children: cats.map(([seg, catName, subs]) => ({
      code: `${code}.${seg}`,
      name: catName,
      children: subs.map(([subSeg, subName]) => ({ code: `${code}.${seg}.${subSeg}`, name: subName, children: [] })),
    })),
  };
}

export const DEFAULT_CATEGORIES: readonly Category[] = [
  sector('general_government', '政务综合', [
    [
      'population',
      '人口基础信息',
      [
        ['household', '户籍信息'],
        ['identity', '居民身份信息'],
        ['residence', '居住登记信息'],
        ['vital_events', '出生死亡信息'],
      ],
    ],
    [
      'legal_entity',
      '法人基础信息',
      [
        ['registration', '法人登记信息'],
        ['credit', '法人信用信息'],
      ],
    ],
    [
      'service',
      '政务服务信息',
      [
        ['application', '办件信息'],
        ['license', '电子证照'],
        ['hotline', '热线诉求信息'],
      ],
    ],
    [
      'office',
      '政务办公信息',
      [
        ['document', '公文信息'],
        ['meeting', '会议信息'],
      ],
    ],
    [
      'economy',
      '宏观经济信息',
      [
        ['statistics', '统计调查数据'],
        ['planning', '发展规划数据'],
      ],
    ],
  ]),
  sector('public_security', '公安', [
    [
      'population',
      '人口管理',
      [
        ['household_register', '户籍登记'],
        ['residence_permit', '居住证信息'],
        ['id_card', '居民身份证信息'],
      ],
    ],
    [
      'traffic',
      '交通管理',
      [
        ['vehicle', '机动车登记'],
        ['driver', '驾驶人信息'],
        ['violation', '交通违法'],
        ['accident', '交通事故'],
      ],
    ],
    [
      'case',
      '案事件',
      [
        ['criminal', '刑事案件'],
        ['public_order', '治安案件'],
      ],
    ],
    [
      'video',
      '视频图像',
      [
        ['surveillance', '公共视频监控'],
        ['face', '人脸识别'],
        ['plate', '车牌识别'],
      ],
    ],
    [
      'entry_exit',
      '出入境管理',
      [
        ['document', '出入境证件'],
        ['record', '出入境记录'],
      ],
    ],
  ]),
  sector('education', '教育', [
    [
      'student',
      '学生信息',
      [
        ['enrollment', '学籍信息'],
        ['achievement', '学业成绩'],
        ['aid', '学生资助'],
        ['health', '学生体检'],
      ],
    ],
    [
      'teacher',
      '教师信息',
      [
        ['profile', '教师基本信息'],
        ['qualification', '教师资格'],
      ],
    ],
    [
      'school',
      '学校信息',
      [
        ['basic', '学校基本信息'],
        ['facility', '办学条件'],
      ],
    ],
    [
      'exam',
      '考试招生',
      [
        ['registration', '考试报名'],
        ['result', '考试成绩与录取'],
      ],
    ],
  ]),
  sector('health', '卫生健康', [
    [
      'medical',
      '医疗服务',
      [
        ['emr', '电子病历'],
        ['prescription', '处方信息'],
        ['examination', '检验检查报告'],
        ['genetic', '基因检测信息'],
      ],
    ],
    [
      'health_record',
      '居民健康档案',
      [
        ['basic', '健康档案基本信息'],
        ['checkup', '健康体检'],
      ],
    ],
    [
      'public_health',
      '公共卫生',
      [
        ['infectious_disease', '传染病报告'],
        ['vaccination', '预防接种'],
        ['chronic_disease', '慢性病管理'],
      ],
    ],
    [
      'maternal_child',
      '妇幼健康',
      [
        ['birth_certificate', '出生医学证明'],
        ['prenatal', '孕产期保健'],
      ],
    ],
    [
      'provider',
      '医疗机构与人员',
      [
        ['facility', '医疗机构信息'],
        ['practitioner', '医务人员执业信息'],
      ],
    ],
  ]),
  sector('human_resources', '人力资源和社会保障', [
    [
      'social_insurance',
      '社会保险',
      [
        ['enrollment', '社保参保信息'],
        ['contribution', '社保缴费信息'],
        ['benefit', '社保待遇发放'],
        ['card', '社会保障卡'],
      ],
    ],
    [
      'employment',
      '就业服务',
      [
        ['registration', '就业失业登记'],
        ['training', '职业技能培训'],
      ],
    ],
    [
      'labor_relations',
      '劳动关系',
      [
        ['contract', '劳动合同'],
        ['arbitration', '劳动人事争议仲裁'],
      ],
    ],
    [
      'personnel',
      '人事人才',
      [
        ['file', '人事档案'],
        ['title', '职称评审'],
      ],
    ],
  ]),
  sector('civil_affairs', '民政', [
    [
      'assistance',
      '社会救助',
      [
        ['subsistence', '最低生活保障'],
        ['destitute', '特困人员供养'],
        ['temporary', '临时救助'],
      ],
    ],
    ['marriage', '婚姻登记', [['registration', '婚姻登记信息']]],
    [
      'elderly',
      '养老服务',
      [
        ['subsidy', '养老服务补贴'],
        ['institution', '养老机构'],
      ],
    ],
    [
      'child_welfare',
      '儿童福利',
      [
        ['left_behind', '农村留守儿童'],
        ['orphan', '孤儿与事实无人抚养儿童'],
      ],
    ],
    ['social_organization', '社会组织', [['registration', '社会组织登记']]],
    ['funeral', '殡葬服务', [['record', '殡葬服务信息']]],
  ]),
  sector('transport', '交通运输', [
    [
      'operation',
      '运输经营',
      [
        ['license', '道路运输经营许可'],
        ['vehicle', '营运车辆'],
        ['practitioner', '从业人员'],
      ],
    ],
    [
      'passenger',
      '客运出行',
      [
        ['ticket', '客运售票信息'],
        ['ride_hailing', '网约车与出租车订单'],
        ['transit_card', '公共交通卡'],
      ],
    ],
    [
      'infrastructure',
      '交通基础设施',
      [
        ['road', '公路'],
        ['bridge_tunnel', '桥梁隧道'],
        ['port', '港口航道'],
      ],
    ],
    [
      'monitoring',
      '运行监测',
      [
        ['traffic_flow', '交通流量'],
        ['vehicle_position', '车辆卫星定位'],
      ],
    ],
  ]),
  sector('natural_resources', '自然资源', [
    [
      'real_estate',
      '不动产登记',
      [
        ['registration', '不动产登记信息'],
        ['transaction', '不动产交易信息'],
      ],
    ],
    [
      'land',
      '土地管理',
      [
        ['use', '土地利用现状'],
        ['supply', '土地供应'],
      ],
    ],
    [
      'surveying',
      '测绘地理信息',
      [
        ['basic_map', '基础测绘成果'],
        ['high_precision', '高精度地理信息'],
        ['imagery', '遥感影像'],
      ],
    ],
    [
      'spatial_planning',
      '国土空间规划',
      [
        ['master', '总体规划'],
        ['detailed', '详细规划'],
      ],
    ],
    ['mineral', '矿产资源', [['rights', '矿业权']]],
  ]),
  sector('market_regulation', '市场监管', [
    [
      'market_entity',
      '市场主体',
      [
        ['registration', '市场主体登记'],
        ['annual_report', '企业年度报告'],
        ['abnormal', '经营异常名录'],
      ],
    ],
    [
      'enforcement',
      '监管执法',
      [
        ['random_inspection', '双随机抽查'],
        ['penalty', '行政处罚'],
      ],
    ],
    [
      'product_safety',
      '产品质量安全',
      [
        ['food', '食品安全抽检'],
        ['drug', '药品监管'],
        ['special_equipment', '特种设备'],
      ],
    ],
    ['consumer', '消费维权', [['complaint', '投诉举报']]],
  ]),
  sector('finance_tax', '财政税务', [
    [
      'budget',
      '预算管理',
      [
        ['preparation', '预算编制'],
        ['execution', '预算执行'],
        ['final_account', '决算'],
      ],
    ],
    [
      'treasury',
      '国库收付',
      [
        ['payment', '国库集中支付'],
        ['non_tax', '非税收入'],
      ],
    ],
    [
      'tax',
      '税收征管',
      [
        ['registration', '税务登记'],
        ['declaration', '纳税申报'],
        ['invoice', '发票信息'],
      ],
    ],
    ['debt', '政府债务', [['bond', '政府债券']]],
    ['state_assets', '国有资产', [['administrative', '行政事业单位资产']]],
  ]),
  sector('housing', '住房城乡建设', [
    [
      'housing_security',
      '住房保障',
      [
        ['application', '保障性住房申请'],
        ['allocation', '保障性住房分配'],
      ],
    ],
    [
      'provident_fund',
      '住房公积金',
      [
        ['account', '公积金缴存'],
        ['loan', '公积金贷款'],
      ],
    ],
    ['real_estate_market', '房地产市场', [['contract', '商品房网签备案']]],
    ['construction', '工程建设', [['permit', '施工许可']]],
  ]),
  sector('utilities', '公用事业', [
    [
      'water',
      '供水',
      [
        ['customer', '供水用户信息'],
        ['network', '供水管网'],
      ],
    ],
    [
      'energy',
      '供电供气',
      [
        ['electricity', '用电信息'],
        ['gas', '燃气用户信息'],
      ],
    ],
  ]),
];
