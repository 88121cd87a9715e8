// One registered system: its DG-8 fields, the actions its state allows (提交登记, 编辑, 报送变更, 报送注销;
// for the authority 受理 / 退回), and the filing history as a timeline of versions with their snapshots.
import { ArrowLeftOutlined, CheckOutlined, EditOutlined, RollbackOutlined, SendOutlined, StopOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Collapse, Descriptions, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api.ts';
import { FILING_KIND_LABEL, isLevel, LateTag, LevelTag, ReviewTag, SYSTEM_FLAG_LABEL, SystemStatusTag, systemFieldLabel } from '../../components/catalog.tsx';
import { ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { Paged, ReviewBody, System, SystemFilingWithSnapshot } from '../../types.ts';
import { FileModal, ReviewModal } from './filingActions.tsx';
import { SystemFieldsView } from './SystemFieldsView.tsx';
import { SystemFormDrawer, type SystemFormMode, systemKey } from './SystemFormDrawer.tsx';

const KIND_COLOR: Record<SystemFilingWithSnapshot['kind'], string> = { registration: 'blue', change: 'purple', closure: 'default' };
const REVIEW_DOT: Record<SystemFilingWithSnapshot['reviewStatus'], string> = { pending: 'blue', accepted: 'green', returned: 'orange' };

function asList<T>(v: T[] | Paged<T> | undefined): T[] {
  if (!v) return [];
  return Array.isArray(v) ? v : v.items;
}

export function FilingHistory({ systemId }: { systemId: string }) {
  const t = useT();
  const [reviewing, setReviewing] = useState<{ filing: SystemFilingWithSnapshot; decision: ReviewBody['decision'] } | null>(null);
  const q = useQuery({
    queryKey: ['systems', 'filings', systemId],
    queryFn: () => api.get<SystemFilingWithSnapshot[] | Paged<SystemFilingWithSnapshot>>(`/api/systems/${systemId}/filings`),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => q.refetch()} />;
  const filings = [...asList(q.data)].sort((a, b) => b.version - a.version || b.filedAt.localeCompare(a.filedAt));
  if (filings.length === 0) return <Empty description={t('filing.none')} data-testid="filing-history-empty" />;
  return (
    <>
      <Timeline
        data-testid="filing-history"
        items={filings.map((f) => ({
          key: f.id,
          color: REVIEW_DOT[f.reviewStatus],
          content: (
            <div style={{ marginBottom: 8 }}>
              <Space size={4} wrap data-testid="filing-item" data-filing-id={f.id} data-kind={f.kind} data-review={f.reviewStatus}>
                <Tag color={KIND_COLOR[f.kind]}>{t(FILING_KIND_LABEL[f.kind])}</Tag>
                <Typography.Text strong>{t('filing.version', { n: f.version })}</Typography.Text>
                <ReviewTag status={f.reviewStatus} />
                {f.late && <LateTag deadline={f.deadline} />}
              </Space>

              <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                <Descriptions.Item label={t('filing.eventDate')}>{f.eventDate}</Descriptions.Item>
                <Descriptions.Item label={t('filing.deadline')}>
                  <span data-testid="filing-deadline">{f.deadline}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('filing.filedAt')}>
                  {fmtDateTime(f.filedAt)}
                  {f.filedBy ? ` · ${f.filedBy.displayName}` : ''}
                </Descriptions.Item>
                {f.summary && (
                  <Descriptions.Item label={t('filing.summary')} span={3}>
                    {f.summary}
                  </Descriptions.Item>
                )}
                {f.kind !== 'registration' && f.changedFields.length > 0 && (
                  <Descriptions.Item label={t('filing.changedFields')} span={3}>
                    <span data-testid="filing-changed-fields">{f.changedFields.map((c) => systemFieldLabel(t, c)).join('、')}</span>
                  </Descriptions.Item>
                )}
                {f.reviewStatus !== 'pending' && (
                  <Descriptions.Item label={t('filing.reviewResult')} span={3}>
                    <span data-testid="filing-review-result">
                      <ReviewTag status={f.reviewStatus} />
                      {f.reviewedAt ? fmtDateTime(f.reviewedAt) : ''}
                      {f.reviewedBy ? ` · ${f.reviewedBy.displayName}` : ''}
                      {f.reviewReason && (
                        <Typography.Text type={f.reviewStatus === 'returned' ? 'warning' : 'secondary'} data-testid="filing-review-reason">
                          {` ${t('filing.reason')}${t('common.colon')}${f.reviewReason}`}
                        </Typography.Text>
                      )}
                    </span>
                  </Descriptions.Item>
                )}
              </Descriptions>
              {f.reviewStatus === 'pending' && f.canReview && (
                <Space style={{ marginBottom: 8 }}>
                  <Button
                    size="small"
                    type="primary"
                    icon={<CheckOutlined />}
                    onClick={() => setReviewing({ filing: f, decision: 'accept' })}
                    data-testid="filing-accept"
                  >
                    {t('review.accept')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    icon={<RollbackOutlined />}
                    onClick={() => setReviewing({ filing: f, decision: 'return' })}
                    data-testid="filing-return"
                  >
                    {t('review.return')}
                  </Button>
                </Space>
              )}
              {f.snapshot && (
                <Collapse
                  size="small"
                  items={[
                    {
                      key: 'snapshot',
                      label: <span data-testid="filing-snapshot-toggle">{t('filing.snapshot', { n: f.version })}</span>,
                      children: <SystemFieldsView s={f.snapshot} compact testId="filing-snapshot" />,
                    },
                  ]}
                />
              )}
            </div>
          ),
        }))}
      />
      {reviewing && <ReviewModal filing={reviewing.filing} initial={reviewing.decision} onClose={() => setReviewing(null)} />}
    </>
  );
}

export default function SystemPage() {
  const t = useT();
  const can = useCan();
  const { id = '' } = useParams();
  const [form, setForm] = useState<SystemFormMode | null>(null);
  const [filing, setFiling] = useState<'submit' | 'closure' | null>(null);
  const q = useQuery({ queryKey: systemKey(id), queryFn: () => api.get<System>(`/api/systems/${id}`) });

  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => q.refetch()} />
      </Card>
    );
  const s = q.data;
  const manage = can('system.manage');
  const editable = s.status === 'draft' || s.status === 'returned';
  const latest = s.latestFiling;
  const deadline = latest?.deadline;
  const late = s.hasLateFiling;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Link to="/systems" data-testid="system-back">
        <ArrowLeftOutlined /> {t('system.backToList')}
      </Link>
      <Card
        data-testid="system-detail"
        title={
          <Space wrap>
            <span data-testid="system-detail-name">{s.name}</span>
            <SystemStatusTag status={s.status} />
            {late && <LateTag deadline={deadline} />}
          </Space>
        }
        extra={
          manage && (
            <Space wrap>
              {editable && (
                <Button icon={<EditOutlined />} onClick={() => setForm('edit')} data-testid="system-edit">
                  {t('common.edit')}
                </Button>
              )}
              {editable && (
                <Button type="primary" icon={<SendOutlined />} onClick={() => setFiling('submit')} data-testid="system-submit">
                  {t('system.submit')}
                </Button>
              )}
              {s.status === 'accepted' && (
                <Button icon={<SwapOutlined />} disabled={latest?.reviewStatus === 'pending'} onClick={() => setForm('change')} data-testid="system-change">
                  {t('system.fileChange')}
                </Button>
              )}
              {s.status === 'accepted' && (
                <Button
                  danger
                  icon={<StopOutlined />}
                  disabled={latest?.reviewStatus === 'pending'}
                  onClick={() => setFiling('closure')}
                  data-testid="system-closure"
                >
                  {t('system.fileClosure')}
                </Button>
              )}
            </Space>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 16 }} data-testid="system-summary">
          <Descriptions.Item label={t('system.institution')}>{s.institutionName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('system.reviewState')}>
            {latest ? (
              <Space size={4}>
                <Typography.Text type="secondary">{t(FILING_KIND_LABEL[latest.kind])}</Typography.Text>
                <ReviewTag status={latest.reviewStatus} />
              </Space>
            ) : (
              t('system.notFiled')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('system.deadline')}>
            {deadline ? (
              <Space size={4}>
                <span data-testid="system-detail-deadline">{deadline}</span>
                {latest?.late && <LateTag deadline={deadline} />}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('system.resourceCount')}>{s.resourceCount}</Descriptions.Item>
          <Descriptions.Item label={t('common.updatedAt')}>{fmtDateTime(s.updatedAt)}</Descriptions.Item>
        </Descriptions>
        {s.status === 'returned' && latest?.reviewReason && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="system-returned-reason"
            title={t('system.returnedTitle')}
            description={latest.reviewReason}
          />
        )}
        {s.status === 'submitted' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('system.awaitingReview')} />}
        {s.flags.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="system-flags"
            title={t('system.flagsTitle')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {s.flags.map((f) => (
                  <li key={f} data-flag={f}>
                    {t(SYSTEM_FLAG_LABEL[f])}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <SystemFieldsView s={s} />
        <Descriptions size="middle" bordered column={1} title={t('system.resources')} data-testid="system-resources">
          <Descriptions.Item label={t('system.resourcesLabel')}>
            {s.resources.length === 0 ? (
              <Typography.Text type="secondary">{t('system.noResources')}</Typography.Text>
            ) : (
              <Space wrap>
                {s.resources.map((r) => (
                  <Link key={r.id} to={`/catalog/${r.id}`} data-testid="system-resource-link">
                    <Tag>
                      {r.name} {r.level && isLevel(r.level) ? <LevelTag level={r.level} /> : null}
                    </Tag>
                  </Link>
                ))}
              </Space>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title={t('filing.history')}
        data-testid="system-filings-card"
        extra={
          <Link to={`/systems/asset-checks?institutionId=${s.institutionId}`} data-testid="system-asset-checks-link">
            {t('assetCheck.openForInstitution')}
          </Link>
        }
      >
        <FilingHistory systemId={s.id} />
      </Card>
      {form && <SystemFormDrawer mode={form} system={s} onClose={() => setForm(null)} />}
      {filing && (
        <FileModal
          kind={filing}
          systemId={s.id}
          systemName={s.name}
          version={s.version}
          onClose={() => setFiling(null)}
          onEdit={
            editable
              ? () => {
                  setFiling(null);
                  setForm('edit');
                }
              : undefined
          }
        />
      )}
    </Space>
  );
}
