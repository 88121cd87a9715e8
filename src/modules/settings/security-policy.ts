// 等保 level 3 identity-authentication settings (domain.md §5). Defaults are the usual values; an
// administrator may tighten or relax them within the bounds below, and every change is an audit event.
import { type Static, Type } from 'typebox';

export const SecurityPolicy = Type.Object(
  {
    passwordMinLength: Type.Integer({ minimum: 10, maximum: 64, description: '密码最小长度（不少于 10）' }),
    passwordMaxAgeDays: Type.Integer({ minimum: 1, maximum: 365, description: '密码有效期（天）' }),
    passwordHistory: Type.Integer({ minimum: 1, maximum: 24, description: '不得重复使用最近几次密码' }),
    lockThreshold: Type.Integer({ minimum: 3, maximum: 20, description: '连续失败几次锁定' }),
    lockMinutes: Type.Integer({ minimum: 1, maximum: 1440, description: '锁定时长（分钟）' }),
    idleMinutes: Type.Integer({ minimum: 5, maximum: 120, description: '空闲超时（分钟）' }),
    absoluteHours: Type.Integer({ minimum: 1, maximum: 24, description: '会话最长时长（小时）' }),
  },
  { additionalProperties: false },
);
export type SecurityPolicy = Static<typeof SecurityPolicy>;

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  passwordMinLength: 10,
  passwordMaxAgeDays: 90,
  passwordHistory: 5,
  lockThreshold: 5,
  lockMinutes: 30,
  idleMinutes: 30,
  absoluteHours: 12,
};
