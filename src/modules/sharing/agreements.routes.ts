// Data security agreements and their SM2 signatures (LIF-4; docs/sharing-contract.md "Agreements and signatures").
import type { Services } from '../../app/services.ts';
import { type App, actorOf } from '../../app/types.ts';
import { AgreementBundle, AgreementParams, AgreementSign, AgreementVerification, ShareAgreement } from './agreements.schemas.ts';

const tags = ['sharing'];

export function shareAgreementsRoutes(app: App, s: Services): void {
  app.get(
    '/api/share-agreements/:id',
    { schema: { tags, summary: '数据安全保护协议 An agreement', params: AgreementParams, response: { 200: ShareAgreement } } },
    async (req) => s.shareAgreements.get(actorOf(req), req.params.id),
  );
  app.post(
    '/api/share-agreements/:id/sign',
    {
      schema: {
        tags,
        summary: '签署协议 Sign the agreement',
        description:
          '申请单位（数据使用人员）或提供单位（数据管理员/单位管理员）经办人重新输入密码（已绑定双因素的还须动态验证码）后，以本人 SM2 密钥签署协议文本（用户标识 1234567812345678）。密码错误 401 REAUTH_FAILED 并计入锁定；已签 409 ALREADY_SIGNED；非签署方 403 NOT_A_PARTY。双方签署后同一事务生成共享授权。',
        params: AgreementParams,
        body: AgreementSign,
        response: { 200: ShareAgreement },
      },
    },
    async (req) => s.shareAgreements.sign(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/share-agreements/:id/verify',
    {
      schema: {
        tags,
        summary: '验证协议签名 Verify the agreement signatures',
        description: '重新计算文本 SM3，并用签名人公钥逐一验证签名。',
        params: AgreementParams,
        response: { 200: AgreementVerification },
      },
    },
    async (req) => s.shareAgreements.verify(actorOf(req), req.params.id),
  );
  app.get(
    '/api/share-agreements/:id/bundle',
    {
      schema: {
        tags,
        summary: '协议验证包 The agreement bundle for offline verification',
        description: '协议文本、SM3、各方公钥（PEM）与 DER 签名（Base64），可用 openssl dgst -sm3 -verify pub.pem -sigopt distid:1234567812345678 离线验证。',
        params: AgreementParams,
        response: { 200: AgreementBundle },
      },
    },
    async (req) => s.shareAgreements.bundle(actorOf(req), req.params.id),
  );
}
