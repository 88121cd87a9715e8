// Column-name hints (CLS-2): pinyin abbreviations of Chinese government schemas, English words and Chinese
// phrases, matched whole so that 'xmmc' (项目名称) is not 'xm' (姓名).
import { describe, expect, it } from 'vitest';
import { builtinHintMask, nameMatchesHint, nameTokens } from './hints.ts';
import { BUILTIN_TYPES } from './types.ts';

const hinted = (name: string) => BUILTIN_TYPES.filter((_, t) => ((builtinHintMask(name) >>> t) & 1) === 1);

describe('column-name hints', () => {
  it('knows the pinyin abbreviations', () => {
    expect(hinted('xm')).toEqual(['CN_NAME']);
    expect(hinted('SFZH')).toEqual(['CN_RESIDENT_ID']);
    expect(hinted('zjhm')).toEqual(['CN_RESIDENT_ID']);
    expect(hinted('lxdh')).toEqual(['CN_MOBILE', 'CN_LANDLINE']);
    expect(hinted('sjhm')).toEqual(['CN_MOBILE']);
    expect(hinted('jzdz')).toEqual(['CN_ADDRESS']);
    expect(hinted('dz')).toEqual(['CN_ADDRESS']);
    expect(hinted('csrq')).toEqual(['DATE_OF_BIRTH']);
    expect(hinted('yhkh')).toEqual(['BANK_CARD']);
    expect(hinted('tyshxydm')).toEqual(['CN_USCC']);
    expect(hinted('hphm')).toEqual(['CN_LICENSE_PLATE']);
  });
  it('splits snake_case and camelCase, and matches tokens whole', () => {
    expect(nameTokens('fr_sfzh')).toEqual(['fr', 'sfzh']);
    expect(nameTokens('applicantIdCard2')).toEqual(['applicant', 'id', 'card']);
    expect(hinted('fr_sfzh')).toEqual(['CN_RESIDENT_ID']);
    expect(hinted('applicant_id_card')).toEqual(['CN_RESIDENT_ID']);
    expect(hinted('mobilePhone')).toEqual(['CN_MOBILE', 'CN_LANDLINE']);
    expect(hinted('xmmc')).toEqual([]);
    expect(hinted('id')).toEqual([]);
    expect(hinted('product_name')).toEqual([]);
  });
  it('reads Chinese names by their most specific phrase', () => {
    expect(hinted('公民身份号码')).toEqual(['CN_RESIDENT_ID']);
    expect(hinted('法定代表人身份证号')).toEqual(['CN_RESIDENT_ID']);
    expect(hinted('法定代表人姓名')).toEqual(['CN_NAME']);
    expect(hinted('联系人电话')).toEqual(['CN_MOBILE', 'CN_LANDLINE']);
    expect(hinted('出生地')).toEqual(['CN_ADDRESS']);
    expect(hinted('出生日期')).toEqual(['DATE_OF_BIRTH']);
    expect(hinted('IP地址')).toEqual(['IPV4', 'IPV6']);
    expect(hinted('邮件地址')).toEqual(['EMAIL']);
    expect(hinted('诊断结果')).toEqual(['KW_HEALTH']);
    expect(hinted('宗教信仰')).toEqual(['KW_RELIGION']);
    expect(hinted('项目名称')).toEqual([]);
  });
  it('matches custom hints: Chinese by containment, ASCII by whole token', () => {
    expect(nameMatchesHint('社保卡号码', ['社保卡'])).toBe(true);
    expect(nameMatchesHint('sbkh', ['SBKH'])).toBe(true);
    expect(nameMatchesHint('ry_sbkh', ['sbkh'])).toBe(true);
    expect(nameMatchesHint('sbkhx', ['sbkh'])).toBe(false);
    expect(nameMatchesHint('', ['sbkh'])).toBe(false);
  });
});
