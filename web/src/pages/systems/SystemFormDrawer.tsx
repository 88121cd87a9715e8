// A drawer around the DG-8 form: a new registration (draft), editing a draft or returned one (PATCH with
// the version seen), or a change filing on an accepted system (only the changed fields, with the date the
// change happened and a summary; DG-8 gives 15 working days from that date).
import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Divider, Drawer, Form, Input, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { FILING_REQUIRED, systemFieldLabel } from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useT } from '../../i18n.tsx';
import { useMe } from '../../session.tsx';
import type { ChangeBody, System, SystemCreate, SystemFiling, SystemUpdate } from '../../types.ts';
import { changedFields, EMPTY_SYSTEM_FORM, formToFields, SystemFormFields, type SystemFormValues, systemToForm } from './systemForm.tsx';

export type SystemFormMode = 'create' | 'edit' | 'change';

export const systemKey = (id: string) => ['systems', 'detail', id] as const;

interface ChangeMeta {
  eventDate?: Dayjs | null;
  summary?: string;
}

export function SystemFormDrawer({
  mode,
  system,
  onClose,
  onSaved,
}: {
  mode: SystemFormMode;
  system?: System;
  onClose: () => void;
  onSaved?: (id: string) => void;
}) {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<SystemFormValues & ChangeMeta>();
  const [base, setBase] = useState(system);
  const [noChange, setNoChange] = useState(false);

  const save = useMutation({
    mutationFn: async (v: SystemFormValues & ChangeMeta): Promise<string> => {
      const fields = formToFields(v);
      if (mode === 'create') {
        const body: SystemCreate = { ...fields, institutionId: v.institutionId as string };
        const created = await api.post<System>('/api/systems', body);
        return created.id;
      }
      const cur = base as System;
      if (mode === 'edit') {
        const body: SystemUpdate = { ...fields, version: cur.version };
        await api.patch<System>(`/api/systems/${cur.id}`, body);
        return cur.id;
      }
      const body: ChangeBody = {
        eventDate: (v.eventDate as Dayjs).format('YYYY-MM-DD'),
        summary: (v.summary ?? '').trim(),
        changes: changedFields(fields, cur),
        version: cur.version,
      };
      await api.post<SystemFiling>(`/api/systems/${cur.id}/changes`, body);
      return cur.id;
    },
    onSuccess: (id) => {
      qc.invalidateQueries({ queryKey: ['systems'] });
      qc.invalidateQueries({ queryKey: ['system-filings'] });
      message.success(mode === 'change' ? t('system.changeFiled') : t('common.saved'));
      onSaved?.(id);
      onClose();
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409 && save.error.code === 'VERSION_CONFLICT';

  const reload = async () => {
    if (!base) return;
    try {
      const fresh = await api.get<System>(`/api/systems/${base.id}`);
      qc.setQueryData(systemKey(base.id), fresh);
      setBase(fresh);
      form.resetFields();
      form.setFieldsValue(systemToForm(fresh));
      save.reset();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const title =
    mode === 'create'
      ? t('system.createTitle')
      : mode === 'edit'
        ? t('system.editTitle', { name: system?.name ?? '' })
        : t('system.changeTitle', { name: system?.name ?? '' });

  const initial: SystemFormValues & ChangeMeta = system
    ? { ...systemToForm(system), eventDate: null, summary: '' }
    : { ...EMPTY_SYSTEM_FORM, institutionId: me.institutionId };

  return (
    <Drawer
      open
      size={860}
      title={title}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="system-form-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="system-form-submit">
            {mode === 'change' ? t('system.fileChange') : t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          data-testid="system-conflict"
          style={{ marginBottom: 16 }}
          title={t('system.conflictTitle')}
          description={
            <>
              <div>{save.error?.message}</div>
              <div>{t('institution.conflictHelp')}</div>
            </>
          }
          action={
            <Button icon={<ReloadOutlined />} onClick={reload} data-testid="system-reload">
              {t('institution.reloadLatest')}
            </Button>
          }
        />
      ) : (
        <ErrorAlert error={save.error} testId="system-form-error" />
      )}
      {noChange && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('system.noChanges')} data-testid="system-no-changes" />}
      {mode === 'change' ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('system.changeIntro')} />
      ) : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="system-form-required-hint"
          title={t('system.filingNeeds', { fields: FILING_REQUIRED.map((f) => systemFieldLabel(t, f)).join('、') })}
        />
      )}
      <Form<SystemFormValues & ChangeMeta>
        form={form}
        layout="vertical"
        initialValues={initial}
        scrollToFirstError
        data-testid="system-form"
        onFinish={(v) => {
          if (mode === 'change' && base && Object.keys(changedFields(formToFields(v), base)).length === 0) {
            setNoChange(true);
            return;
          }
          setNoChange(false);
          save.mutate(v);
        }}
      >
        {mode === 'change' && (
          <>
            <Divider titlePlacement="start">{t('system.section.change')}</Divider>
            <Space align="start" wrap>
              <Form.Item
                name="eventDate"
                label={t('system.changeEventDate')}
                extra={t('system.eventDateExtra')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <DatePicker style={{ width: 200 }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="system-change-date" />
              </Form.Item>
              <Form.Item
                name="summary"
                label={t('system.changeSummary')}
                rules={[
                  { required: true, whitespace: true, message: t('validation.required') },
                  { max: 2000, message: t('validation.max', { n: 2000 }) },
                ]}
                style={{ minWidth: 460 }}
              >
                <Input.TextArea rows={2} maxLength={2000} data-testid="system-change-summary" />
              </Form.Item>
            </Space>
          </>
        )}
        <SystemFormFields withInstitution={mode === 'create'} form={form} />
      </Form>
    </Drawer>
  );
}
