// Grants and their client credentials (docs/sharing-contract.md "Grants and the gateway"; LIF-3, LIF-5, LIF-6).
import { Type } from 'typebox';
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import {
  CredentialParams,
  GrantCall,
  GrantCallQuery,
  GrantCredential,
  GrantCredentialCreate,
  GrantCredentialCreated,
  GrantParams,
  GrantRevoke,
  GrantRevokeResult,
  ShareGrant,
  ShareGrantPage,
  ShareGrantQuery,
} from './grants.schemas.ts';

const tags = ['sharing'];

export function grantsRoutes(app: App, s: Services): void {
  app.get(
    '/api/share-grants',
    {
      schema: {
        tags,
        summary: '共享授权列表 Sharing grants',
        description: '接收方或提供方在调用者共享查阅范围内的授权；role=recipient 本单位获得的，role=provider 本单位提供的。',
        querystring: ShareGrantQuery,
        response: { 200: ShareGrantPage },
      },
    },
    async (req) => s.shareGrants.list(actorOf(req), req.query),
  );
  app.get(
    '/api/share-grants/:id',
    { schema: { tags, summary: '共享授权详情 A sharing grant', params: GrantParams, response: { 200: ShareGrant } } },
    async (req) => s.shareGrants.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/share-grants/:id/revoke',
    {
      schema: {
        tags,
        summary: '撤销共享授权 Revoke a grant',
        description:
          '数据提供单位（sharing.provide）或其上级数据主管部门（sharing.approve）。立即生效（下一次接口调用即被拒绝），同一事务内为接收方开启删除义务（DG-12 情形，缺省 purpose_achieved）。',
        params: GrantParams,
        body: GrantRevoke,
        response: { 200: GrantRevokeResult },
      },
    },
    async (req) => s.shareGrants.revoke(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/share-grants/:id/calls',
    {
      schema: {
        tags,
        summary: '授权的接口调用记录 Recent gateway calls of a grant',
        description: '取自审计日志：时间、客户端、用途、行数、结果（含拒绝及原因代码），新的在前。',
        params: GrantParams,
        querystring: GrantCallQuery,
        response: { 200: Type.Array(GrantCall) },
      },
    },
    async (req) => s.shareGrants.calls(actorOf(req), req.params.id, req.query.limit ?? 100),
  );
  app.get(
    '/api/share-grants/:id/credentials',
    {
      schema: {
        tags,
        summary: '授权的接口凭证 Client credentials of a grant',
        description: '接收方的 sharing.apply；不含密钥。',
        params: GrantParams,
        response: { 200: Type.Array(GrantCredential) },
      },
    },
    async (req) => s.shareGrants.credentials(actorOf(req), req.params.id),
  );
  app.post(
    '/api/share-grants/:id/credentials',
    {
      schema: {
        tags,
        summary: '新建接口凭证 Create a client credential',
        description: '令牌 `sgw_<clientId>.<secret>` 只在此次应答中出现一次；平台只保存其 HMAC-SM3。',
        params: GrantParams,
        body: GrantCredentialCreate,
        response: { 201: GrantCredentialCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await s.shareGrants.createCredential(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/share-grants/:id/credentials/:credentialId',
    {
      schema: {
        tags,
        summary: '停用接口凭证 Revoke a client credential',
        description: '立即生效：此后使用该凭证的调用返回 401 INVALID_CLIENT。',
        params: CredentialParams,
        response: { 200: GrantCredential },
      },
    },
    async (req) => s.shareGrants.revokeCredential(actorOf(req), req.params.id, req.params.credentialId),
  );
}
