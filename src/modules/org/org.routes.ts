// Institutions, people and roles (/api/institutions, /api/users, /api/roles).
import { Type } from 'typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  GrantParams,
  IdParams,
  Institution,
  InstitutionCreate,
  InstitutionPage,
  InstitutionQuery,
  InstitutionTreeNode,
  InstitutionUpdate,
  PasswordIssued,
  ReadGrant,
  ReadGrantCreate,
  RoleAssign,
  RoleAssignment,
  RoleCatalogEntry,
  User,
  UserCreate,
  UserCreated,
  UserPage,
  UserQuery,
  UserRoleParams,
  UserUpdate,
} from './org.schemas.ts';
import { DUTY_GROUP, PRIVILEGED_ROLES, ROLE_INSTITUTION_KINDS, ROLE_LABELS, ROLE_PERMISSIONS, ROLES } from './roles.ts';

const it = ['institutions'];
const ut = ['users'];

export function orgRoutes(app: App, s: Services) {
  app.get(
    '/api/institutions/tree',
    { schema: { tags: it, summary: '机构树 Institution tree', response: { 200: Type.Array(InstitutionTreeNode) } } },
    async (req) => s.institutions.tree(actorOf(req)),
  );
  app.get(
    '/api/institutions',
    { schema: { tags: it, summary: '机构列表 Institutions', querystring: InstitutionQuery, response: { 200: InstitutionPage } } },
    async (req) => s.institutions.list(actorOf(req), req.query),
  );
  app.get('/api/institutions/:id', { schema: { tags: it, summary: '机构详情', params: IdParams, response: { 200: Institution } } }, async (req) =>
    s.institutions.get(actorOf(req), req.params.id),
  );
  app.post('/api/institutions', { schema: { tags: it, summary: '新建机构', body: InstitutionCreate, response: { 201: Institution } } }, async (req, reply) =>
    reply.status(201).send(await s.institutions.create(actorOf(req), req.body)),
  );
  app.patch(
    '/api/institutions/:id',
    { schema: { tags: it, summary: '修改机构', params: IdParams, body: InstitutionUpdate, response: { 200: Institution } } },
    async (req) => s.institutions.update(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/institutions/:id/read-grants',
    { schema: { tags: it, summary: '监管部门查阅授权', params: IdParams, response: { 200: Type.Array(ReadGrant) } } },
    async (req) => s.institutions.listReadGrants(actorOf(req), req.params.id),
  );
  app.post(
    '/api/institutions/:id/read-grants',
    { schema: { tags: it, summary: '新增查阅授权', params: IdParams, body: ReadGrantCreate, response: { 201: ReadGrant } } },
    async (req, reply) => reply.status(201).send(await s.institutions.addReadGrant(actorOf(req), req.params.id, req.body)),
  );
  app.delete('/api/institutions/:id/read-grants/:grantId', { schema: { tags: it, summary: '撤销查阅授权', params: GrantParams } }, async (req, reply) => {
    await s.institutions.removeReadGrant(actorOf(req), req.params.id, req.params.grantId);
    return reply.status(204).send();
  });

  app.get('/api/roles', { schema: { tags: ut, summary: '角色目录 Role catalog', response: { 200: Type.Array(RoleCatalogEntry) } } }, async () =>
    ROLES.map((role) => ({
      role,
      zh: ROLE_LABELS[role].zh,
      en: ROLE_LABELS[role].en,
      privileged: PRIVILEGED_ROLES.has(role),
      dutyGroup: DUTY_GROUP[role] ?? null,
      institutionKinds: [...ROLE_INSTITUTION_KINDS[role]],
      permissions: [...ROLE_PERMISSIONS[role]],
    })),
  );
  app.get('/api/users', { schema: { tags: ut, summary: '用户列表 Users', querystring: UserQuery, response: { 200: UserPage } } }, async (req) =>
    s.users.list(actorOf(req), req.query),
  );
  app.get('/api/users/:id', { schema: { tags: ut, summary: '用户详情', params: IdParams, response: { 200: User } } }, async (req) =>
    s.users.get(actorOf(req), req.params.id),
  );
  app.post('/api/users', { schema: { tags: ut, summary: '新建用户', body: UserCreate, response: { 201: UserCreated } } }, async (req, reply) =>
    reply.status(201).send(await s.users.create(actorOf(req), req.body)),
  );
  app.patch('/api/users/:id', { schema: { tags: ut, summary: '修改用户', params: IdParams, body: UserUpdate, response: { 200: User } } }, async (req) =>
    s.users.update(actorOf(req), req.params.id, req.body),
  );
  app.post('/api/users/:id/reset-password', { schema: { tags: ut, summary: '重置密码', params: IdParams, response: { 200: PasswordIssued } } }, async (req) =>
    s.users.resetPassword(actorOf(req), req.params.id),
  );
  app.post('/api/users/:id/unlock', { schema: { tags: ut, summary: '解锁账号', params: IdParams, response: { 200: User } } }, async (req) =>
    s.users.unlock(actorOf(req), req.params.id),
  );
  app.post(
    '/api/users/:id/roles',
    { schema: { tags: ut, summary: '分配角色', params: IdParams, body: RoleAssign, response: { 201: RoleAssignment } } },
    async (req, reply) => reply.status(201).send(await s.users.assignRole(actorOf(req), req.params.id, req.body)),
  );
  app.delete('/api/users/:id/roles/:assignmentId', { schema: { tags: ut, summary: '撤销角色', params: UserRoleParams } }, async (req, reply) => {
    await s.users.removeRole(actorOf(req), req.params.id, req.params.assignmentId);
    return reply.status(204).send();
  });
}
