// Human names of audit actions (UI labels, zh first). Pure data shared by server and web; an action not
// listed here is shown by its code.
export const AUDIT_ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Log in' },
  'auth.logout': { zh: '退出登录', en: 'Log out' },
  'auth.session_ended': { zh: '会话结束（超时/撤销）', en: 'Session ended' },
  'auth.account_locked': { zh: '账号锁定', en: 'Account locked' },
  'auth.password_change': { zh: '修改密码', en: 'Change password' },
  'auth.totp_enabled': { zh: '绑定双因素认证', en: 'Enable TOTP' },
  'auth.totp_disabled': { zh: '解绑双因素认证', en: 'Disable TOTP' },
  'auth.api_token.create': { zh: '创建 API 令牌', en: 'Create API token' },
  'auth.api_token.revoke': { zh: '撤销 API 令牌', en: 'Revoke API token' },
  'org.institution.create': { zh: '新建机构', en: 'Create institution' },
  'org.institution.update': { zh: '修改机构', en: 'Update institution' },
  'org.read_grant.create': { zh: '新增查阅授权', en: 'Add read grant' },
  'org.read_grant.delete': { zh: '撤销查阅授权', en: 'Remove read grant' },
  'org.user.create': { zh: '新建用户', en: 'Create user' },
  'org.user.update': { zh: '修改用户', en: 'Update user' },
  'org.user.enable': { zh: '启用用户', en: 'Enable user' },
  'org.user.disable': { zh: '停用用户', en: 'Disable user' },
  'org.user.reset_password': { zh: '重置密码', en: 'Reset password' },
  'org.user.unlock': { zh: '解锁账号', en: 'Unlock account' },
  'org.role.assign': { zh: '分配角色', en: 'Assign role' },
  'org.role.remove': { zh: '撤销角色', en: 'Remove role' },
  'settings.security_policy.update': { zh: '修改安全策略', en: 'Change security policy' },
  'settings.workday_schedule.load': { zh: '导入节假日安排', en: 'Load holiday schedule' },
  'system.seed_demo': { zh: '载入演示城市', en: 'Load demo city' },
  'system.setup': { zh: '平台初始化', en: 'Platform set-up' },
};

export const AUDIT_OUTCOME_LABELS = {
  success: { zh: '成功', en: 'Success' },
  failure: { zh: '失败', en: 'Failure' },
  denied: { zh: '拒绝', en: 'Denied' },
} as const;
