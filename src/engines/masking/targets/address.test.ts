// PRT-4 / LIF-7: the address parser behind partial masks (keep up to district or street) and generalisation.
import { describe, expect, it } from 'vitest';
import { maskAll, maskOne } from '../test-helpers.ts';
import { generaliseAddress, parseAddress } from './address.ts';

describe('address parser', () => {
  it('reads province, city, district and street', () => {
    expect(parseAddress('广东省深圳市南山区粤海街道科技园路1号')).toMatchObject({ province: '广东省', city: '深圳市', district: '南山区', street: '粤海街道' });
    expect(parseAddress('新疆维吾尔自治区乌鲁木齐市天山区解放南路街道')).toMatchObject({
      province: '新疆维吾尔自治区',
      city: '乌鲁木齐市',
      district: '天山区',
      street: '解放南路街道',
    });
    expect(parseAddress('江苏省苏州市昆山市玉山镇')).toMatchObject({ city: '苏州市', district: '昆山市', street: '玉山镇' });
    expect(parseAddress('内蒙古锡林郭勒盟锡林浩特市')).toMatchObject({ provinceFull: '内蒙古自治区', city: '锡林郭勒盟', district: '锡林浩特市' });
  });

  it('treats municipalities as province and city at once', () => {
    expect(parseAddress('上海市浦东新区张江镇')).toMatchObject({ province: '上海市', city: '上海市', district: '浦东新区', street: '张江镇' });
    expect(parseAddress('北京朝阳区建国路88号')).toMatchObject({ provinceFull: '北京市', district: '朝阳区', street: null });
  });

  it('does not take 吉林市 for the province 吉林', () => {
    expect(parseAddress('吉林市丰满区')).toMatchObject({ province: null, city: '吉林市', district: '丰满区' });
    expect(parseAddress('吉林省吉林市丰满区')).toMatchObject({ province: '吉林省', city: '吉林市' });
  });

  it('is cautious: no district without an upper level, no 小区 as a district', () => {
    expect(parseAddress('幸福小区3栋2单元').end.street).toBe(0);
    expect(parseAddress('南山区科技园').end.street).toBe(0);
    expect(parseAddress('广东省深圳市幸福小区3栋')).toMatchObject({ city: '深圳市', district: null });
  });

  it('generalises to district, city and province (full province names)', () => {
    const a = '广东深圳市南山区粤海街道科技园路1号';
    expect(generaliseAddress(a, 'district')).toBe('广东省深圳市南山区');
    expect(generaliseAddress(a, 'city')).toBe('广东省深圳市');
    expect(generaliseAddress(a, 'province')).toBe('广东省');
    expect(generaliseAddress('北京市朝阳区建国路88号', 'city')).toBe('北京市');
    expect(generaliseAddress('科技园路1号', 'district')).toBeNull();
  });
});

describe('address masks (PRT-4)', () => {
  it('keep up to the street by default and mask the rest with a fixed mask', () => {
    expect(maskOne('address', { method: 'partial' }, '广东省深圳市南山区粤海街道科技园路1号')).toBe('广东省深圳市南山区粤海街道****');
    expect(maskOne('address', { method: 'partial', params: { level: 'district' } }, '广东省深圳市南山区粤海街道科技园路1号')).toBe('广东省深圳市南山区****');
    expect(maskOne('address', { method: 'partial' }, '北京市朝阳区建国路88号')).toBe('北京市朝阳区****');
  });

  it('reads full-width digits and spaces without keeping them', () => {
    expect(maskOne('address', { method: 'partial' }, '　广东省深圳市南山区科技园路１号')).toBe('广东省深圳市南山区****');
  });

  it('falls back to a full mask when no level parses', () => {
    const { out, stats } = maskAll('address', { method: 'partial' }, ['科技园路1号', '幸福小区3栋', 12]);
    for (const o of out) expect(o).toMatch(/^\*+$/);
    expect(stats.fallback).toBe(3);
  });

  it('generalise (open data) gives the district, or null when unparseable', () => {
    const { out, stats } = maskAll('address', { method: 'generalise' }, ['四川省成都市武侯区浆洗街街道', '某某村3组']);
    expect(out).toEqual(['四川省成都市武侯区', null]);
    expect(stats.fallback).toBe(1);
  });
});
