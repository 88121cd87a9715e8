// 事件存证 (AUD-2): one audit event's place on the SM3 hash chain — its position, sealing time, hash, the
// previous hash, the canonical encoding that was hashed, and the SM2-signed checkpoint that covers it — with
// a clear verified / not verified verdict and one line on how a third party recomputes the link.
import { CheckCircleFilled, ClockCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Space, Spin, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { AUDIT_ACTION_LABELS } from '../../../../src/modules/audit/audit.actions.ts';
import { api } from '../../api.ts';
import type { EventProof } from '../../auditIntegrityTypes.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';

export const MONO: CSSProperties = {
  fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace",
  fontSize: 12,
  wordBreak: 'break-all',
};

/** A long hex value (hash, signature, fingerprint) in monospace with a copy button. */
export function Hex({ value, testId }: { value: string | null | undefined; testId?: string }) {
  if (!value) return <>—</>;
  return (
    <Typography.Text copyable={{ text: value }} style={MONO} data-testid={testId}>
      {value}
    </Typography.Text>
  );
}

const LABEL_STYLES = { label: { width: 170, whiteSpace: 'nowrap' as const } };

export type ProofStatus = 'verified' | 'unverified' | 'unchained';

export function proofStatus(p: EventProof): ProofStatus {
  if (!p.chained) return 'unchained';
  return p.verified ? 'verified' : 'unverified';
}

function StatusBadge({ status }: { status: ProofStatus }) {
  const t = useT();
  const look = {
    verified: { color: 'success', icon: <CheckCircleFilled />, label: t('proof.verified') },
    unverified: { color: 'error', icon: <CloseCircleFilled />, label: t('proof.notVerified') },
    unchained: { color: 'warning', icon: <ClockCircleFilled />, label: t('proof.notChained') },
  }[status];
  return (
    <Tag color={look.color} icon={look.icon} style={{ fontSize: 16, padding: '4px 12px' }} data-testid="proof-status" data-status={status}>
      {look.label}
    </Tag>
  );
}

export function EventProofDrawer({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const t = useT();
  const { pick } = useI18n();
  const proof = useQuery({
    queryKey: ['audit-proof', eventId],
    queryFn: () => api.get<EventProof>(`/api/audit-events/${eventId}/proof`),
  });
  const p = proof.data;
  const status = p ? proofStatus(p) : null;
  return (
    <Drawer open size={860} title={t('proof.title')} onClose={onClose} destroyOnHidden data-testid="proof-drawer">
      <ErrorAlert error={proof.error} />
      {proof.isPending && <Spin />}
      {p && status && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap align="center">
            <StatusBadge status={status} />
            <Typography.Text type="secondary">
              {status === 'verified' ? t('proof.verifiedHint') : status === 'unverified' ? t('proof.notVerifiedHint') : t('proof.notChainedHint')}
            </Typography.Text>
          </Space>
          <Descriptions size="small" bordered column={1} styles={LABEL_STYLES} title={t('proof.event')} data-testid="proof-event">
            <Descriptions.Item label={t('audit.time')}>{fmtDateTime(p.event.occurredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('audit.actor')}>{p.event.actorUsername ?? t('audit.anonymous')}</Descriptions.Item>
            <Descriptions.Item label={t('audit.action')}>
              <Space size={4} wrap>
                {AUDIT_ACTION_LABELS[p.event.action] ? <span>{pick(AUDIT_ACTION_LABELS[p.event.action])}</span> : null}
                <Typography.Text code type="secondary">
                  {p.event.action}
                </Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.target')}>
              {p.event.targetType ? `${p.event.targetType}${p.event.targetId ? ` · ${p.event.targetId}` : ''}` : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('proof.eventId')}>
              <Typography.Text copyable style={MONO}>
                {p.event.id}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {p.chained && (
            <>
              <Descriptions size="small" bordered column={1} styles={LABEL_STYLES} title={t('proof.chain')} data-testid="proof-chain">
                <Descriptions.Item label={t('proof.position')}>
                  <span data-testid="proof-position">{p.position}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('proof.sealedAt')}>{fmtDateTime(p.sealedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('proof.hash')}>
                  <Hex value={p.hash} testId="proof-hash" />
                </Descriptions.Item>
                <Descriptions.Item label={t('proof.previousHash')}>
                  <Hex value={p.previousHash} testId="proof-previous-hash" />
                </Descriptions.Item>
                <Descriptions.Item label={t('proof.canonical')}>
                  <Typography.Paragraph copyable={{ text: p.canonical ?? '' }} style={{ margin: 0 }}>
                    <pre style={{ ...MONO, margin: 0, whiteSpace: 'pre-wrap' }} data-testid="proof-canonical">
                      {p.canonical}
                    </pre>
                  </Typography.Paragraph>
                </Descriptions.Item>
              </Descriptions>
              <Alert type="info" showIcon title={t('proof.recompute')} data-testid="proof-recompute" />
              {p.checkpoint ? (
                <Descriptions size="small" bordered column={1} styles={LABEL_STYLES} title={t('proof.checkpoint')} data-testid="proof-checkpoint">
                  <Descriptions.Item label={t('proof.cpPosition')}>
                    <span data-testid="proof-checkpoint-position">{p.checkpoint.position}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('proof.cpSignedAt')}>{fmtDateTime(p.checkpoint.signedAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('proof.cpHeadHash')}>
                    <Hex value={p.checkpoint.headHash} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t('proof.cpKey')}>
                    <Space orientation="vertical" size={0}>
                      <span>{t('proof.cpKeyVersion', { version: p.checkpoint.keyVersion })}</span>
                      {p.checkpoint.fingerprint ? (
                        <Hex value={p.checkpoint.fingerprint} testId="proof-fingerprint" />
                      ) : (
                        <Tag color="red">{t('proof.unknownKey')}</Tag>
                      )}
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('proof.cpSignature')}>
                    <Hex value={p.checkpoint.signature} testId="proof-signature" />
                  </Descriptions.Item>
                </Descriptions>
              ) : (
                <Alert type="warning" showIcon title={t('proof.noCheckpoint')} data-testid="proof-no-checkpoint" />
              )}
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
