// 工作日历: loaded schedules, a working-day calculator, and (workdays.manage) loading a year's schedule.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorAlert, ErrorResult } from '../components/ErrorAlert.tsx';
import { COVERAGE_KEY, WorkdayCoverageAlert } from '../components/WorkdayCoverage.tsx';
import { fmtDateTime, parseDateList } from '../format.ts';
import { useT } from '../i18n.tsx';
import { useCan } from '../session.tsx';
import type { WorkdayAdd, WorkdayBetween, WorkdayCheck, WorkdaySchedule } from '../types.ts';

const SCHEDULES_KEY = ['workdays', 'schedules'];
const d = (v: Dayjs) => v.format('YYYY-MM-DD');

function Calculator() {
  const t = useT();
  const [checkForm] = Form.useForm<{ date: Dayjs }>();
  const [addForm] = Form.useForm<{ date: Dayjs; days: number }>();
  const [betweenForm] = Form.useForm<{ from: Dayjs; to: Dayjs }>();
  const check = useMutation({ mutationFn: (v: { date: Dayjs }) => api.get<WorkdayCheck>('/api/workdays/check', { date: d(v.date) }) });
  const add = useMutation({ mutationFn: (v: { date: Dayjs; days: number }) => api.get<WorkdayAdd>('/api/workdays/add', { date: d(v.date), days: v.days }) });
  const between = useMutation({
    mutationFn: (v: { from: Dayjs; to: Dayjs }) => api.get<WorkdayBetween>('/api/workdays/between', { from: d(v.from), to: d(v.to) }),
  });
  const today = dayjs();
  return (
    <Card title={t('workdays.calculator')} size="small" data-testid="workday-calculator">
      <Typography.Paragraph type="secondary">{t('workdays.calcIntro')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('workdays.checkTitle')}</Typography.Title>
      <Form form={checkForm} layout="inline" initialValues={{ date: today }} onFinish={(v) => check.mutate(v)} style={{ rowGap: 8 }}>
        <Form.Item name="date" rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker data-testid="workday-check-date" />
        </Form.Item>
        <Button htmlType="submit" loading={check.isPending} data-testid="workday-check">
          {t('workdays.check')}
        </Button>
        {check.data && (
          <Typography.Text data-testid="workday-check-result" style={{ lineHeight: '32px' }}>
            {check.data.date}
            {t('common.colon')}
            {check.data.workday ? <Tag color="blue">{t('workdays.isWorkday')}</Tag> : <Tag color="green">{t('workdays.isRestDay')}</Tag>}
          </Typography.Text>
        )}
      </Form>
      <ErrorAlert error={check.error} style={{ marginTop: 8 }} />

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('workdays.addTitle')}
      </Typography.Title>
      <Form form={addForm} layout="inline" initialValues={{ date: today, days: 15 }} onFinish={(v) => add.mutate(v)} style={{ rowGap: 8 }}>
        <Form.Item name="date" rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker data-testid="workday-add-date" />
        </Form.Item>
        <Form.Item name="days" rules={[{ required: true, message: t('validation.required') }]}>
          <InputNumber min={0} max={3660} precision={0} prefix="+" suffix={t('workdays.workdaysUnit')} style={{ width: 160 }} data-testid="workday-add-days" />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending} data-testid="workday-add">
          {t('workdays.calculate')}
        </Button>
        {add.data && (
          <Typography.Text strong data-testid="workday-add-result" style={{ lineHeight: '32px' }}>
            = {add.data.result}
          </Typography.Text>
        )}
      </Form>
      <ErrorAlert error={add.error} style={{ marginTop: 8 }} />

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('workdays.betweenTitle')}
      </Typography.Title>
      <Form
        form={betweenForm}
        layout="inline"
        initialValues={{ from: today, to: today.add(1, 'month') }}
        onFinish={(v) => between.mutate(v)}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="from" rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker data-testid="workday-between-from" />
        </Form.Item>
        <Form.Item name="to" rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker data-testid="workday-between-to" />
        </Form.Item>
        <Button htmlType="submit" loading={between.isPending} data-testid="workday-between">
          {t('workdays.calculate')}
        </Button>
        {between.data && (
          <Typography.Text strong data-testid="workday-between-result" style={{ lineHeight: '32px' }}>
            {t('workdays.betweenResult', { n: between.data.workdays })}
          </Typography.Text>
        )}
      </Form>
      <ErrorAlert error={between.error} style={{ marginTop: 8 }} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {t('workdays.countingRule')}
      </Typography.Paragraph>
    </Card>
  );
}

interface LoadValues {
  year: number;
  holidays: string;
  makeupWorkdays: string;
}

function LoadSchedule({ schedules }: { schedules: WorkdaySchedule[] }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<LoadValues>();
  const [clientErrors, setClientErrors] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (v: { year: number; holidays: string[]; makeupWorkdays: string[] }) =>
      api.put<WorkdaySchedule>(`/api/workdays/schedules/${v.year}`, { holidays: v.holidays, makeupWorkdays: v.makeupWorkdays }),
    onSuccess: (s) => {
      message.success(t('workdays.loaded', { year: s.year }));
      qc.invalidateQueries({ queryKey: SCHEDULES_KEY });
      qc.invalidateQueries({ queryKey: COVERAGE_KEY });
    },
  });
  const onFinish = (v: LoadValues) => {
    const h = parseDateList(v.holidays ?? '');
    const m = parseDateList(v.makeupWorkdays ?? '');
    const errs: string[] = [];
    if (h.invalid.length) errs.push(t('workdays.invalidDates', { list: h.invalid.join('、'), field: t('workdays.holidays') }));
    if (m.invalid.length) errs.push(t('workdays.invalidDates', { list: m.invalid.join('、'), field: t('workdays.makeupWorkdays') }));
    const wrongYear = [...h.dates, ...m.dates].filter((x) => !x.startsWith(`${v.year}-`));
    if (wrongYear.length) errs.push(t('workdays.wrongYear', { list: wrongYear.join('、'), year: v.year }));
    if (h.dates.length > 120) errs.push(t('validation.maxItemsField', { field: t('workdays.holidays'), n: 120 }));
    if (m.dates.length > 30) errs.push(t('validation.maxItemsField', { field: t('workdays.makeupWorkdays'), n: 30 }));
    const both = h.dates.filter((x) => m.dates.includes(x));
    if (both.length) errs.push(t('workdays.inBoth', { list: both.join('、') }));
    setClientErrors(errs);
    if (errs.length) return;
    save.mutate({ year: v.year, holidays: h.dates, makeupWorkdays: m.dates });
  };
  const fillFrom = (year: number) => {
    const s = schedules.find((x) => x.year === year);
    if (s) form.setFieldsValue({ holidays: s.holidays.join('\n'), makeupWorkdays: s.makeupWorkdays.join('\n') });
  };
  return (
    <Card title={t('workdays.loadTitle')} size="small" data-testid="workday-load">
      <Typography.Paragraph type="secondary">{t('workdays.loadIntro')}</Typography.Paragraph>
      {clientErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('workdays.fixInput')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {clientErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          }
        />
      )}
      <ErrorAlert error={save.error} testId="workday-load-error" />
      <Form<LoadValues> form={form} layout="vertical" initialValues={{ year: new Date().getFullYear() + 1 }} onFinish={onFinish}>
        <Form.Item label={t('workdays.year')} required>
          <Space>
            <Form.Item name="year" noStyle rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={2000} max={2100} precision={0} style={{ width: 120 }} data-testid="workday-load-year" />
            </Form.Item>
            <Button onClick={() => fillFrom(form.getFieldValue('year'))}>{t('workdays.fillExisting')}</Button>
          </Space>
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="holidays"
              label={t('workdays.holidays')}
              extra={t('workdays.holidaysExtra')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input.TextArea rows={10} placeholder={'2027-01-01\n2027-02-05\n…'} style={{ fontFamily: 'monospace' }} data-testid="workday-load-holidays" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="makeupWorkdays" label={t('workdays.makeupWorkdays')} extra={t('workdays.makeupExtra')}>
              <Input.TextArea rows={10} placeholder={'2027-02-20\n…'} style={{ fontFamily: 'monospace' }} data-testid="workday-load-makeup" />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="workday-load-submit">
          {t('workdays.loadSubmit')}
        </Button>
      </Form>
    </Card>
  );
}

export default function WorkdaysPage() {
  const t = useT();
  const can = useCan();
  const schedules = useQuery({ queryKey: SCHEDULES_KEY, queryFn: () => api.get<WorkdaySchedule[]>('/api/workdays/schedules') });
  const list = [...(schedules.data ?? [])].sort((a, b) => b.year - a.year);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.workdays')}
      </Typography.Title>
      <WorkdayCoverageAlert style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('workdays.schedules')} size="small">
            {schedules.isError ? (
              <ErrorResult error={schedules.error} onRetry={() => schedules.refetch()} />
            ) : (
              <Table<WorkdaySchedule>
                rowKey="year"
                size="small"
                data-testid="workday-schedules"
                loading={schedules.isPending}
                dataSource={list}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                locale={{ emptyText: t('workdays.noSchedules') }}
                expandable={{
                  expandedRowRender: (s) => (
                    <div style={{ fontSize: 12 }}>
                      <div>
                        <Typography.Text strong>
                          {t('workdays.holidays')}
                          {t('common.colon')}
                        </Typography.Text>
                        {s.holidays.join('、') || '—'}
                      </div>
                      <div>
                        <Typography.Text strong>
                          {t('workdays.makeupWorkdays')}
                          {t('common.colon')}
                        </Typography.Text>
                        {s.makeupWorkdays.join('、') || '—'}
                      </div>
                    </div>
                  ),
                }}
                columns={[
                  { title: t('workdays.year'), dataIndex: 'year' },
                  {
                    title: t('workdays.source'),
                    dataIndex: 'source',
                    render: (s: WorkdaySchedule['source']) =>
                      s === 'builtin' ? <Tag>{t('workdays.sourceBuiltin')}</Tag> : <Tag color="purple">{t('workdays.sourceLoaded')}</Tag>,
                  },
                  { title: t('workdays.holidayCount'), key: 'h', align: 'right', render: (_v, s) => s.holidays.length },
                  { title: t('workdays.makeupCount'), key: 'm', align: 'right', render: (_v, s) => s.makeupWorkdays.length },
                  { title: t('workdays.loadedAt'), dataIndex: 'loadedAt', render: (v: string | null) => (v ? fmtDateTime(v) : '—') },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Calculator />
        </Col>
        {can('workdays.manage') && (
          <Col span={24}>
            <LoadSchedule schedules={list} />
          </Col>
        )}
      </Row>
    </div>
  );
}
