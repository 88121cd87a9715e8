// 调整脱敏规则 (PRT-4): the security officer's rule for one field in one scenario. The method list holds only
// the methods that apply to the field's value kind; the common parameters have their own inputs (names as
// the engine's param specs), and every parameter can be given as JSON. The server checks the rule; its
// problems are shown at the parameter they name and listed above the form.
import { App, Button, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { MASKING_LABEL } from '../../components/catalog.tsx';
import { useI18n } from '../../i18n.tsx';
import type { MaskingFieldInfo, MaskingView, MaskMethod, MaskRule, MaskScenario, ScenarioFieldRule } from '../../protectionTypes.ts';
import {
  cleanParams,
  MASK_METHOD,
  type ParamField,
  paramFields,
  paramLabel,
  paramValueLabel,
  policyProblems,
  problemField,
  scenarioLabel,
  TARGET_INFO,
} from './maskingLabels.ts';
import { MaskingSaveError, useMaskingUpdate } from './maskingParts.tsx';

type Params = Record<string, unknown>;

function ParamInput({ spec, value, onChange }: { spec: ParamField; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useI18n();
  const placeholder = t('protection.masking.noParams');
  switch (spec.kind) {
    case 'int':
    case 'number':
      return (
        <InputNumber
          style={{ width: 200 }}
          min={spec.min}
          precision={spec.kind === 'int' ? 0 : undefined}
          value={typeof value === 'number' ? value : null}
          placeholder={placeholder}
          onChange={(v) => onChange(v ?? undefined)}
        />
      );
    case 'text':
      return (
        <Input
          style={{ width: spec.maxLength <= 1 ? 120 : 260 }}
          maxLength={spec.maxLength}
          value={typeof value === 'string' ? value : ''}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
      );
    case 'enum':
      return (
        <Select<string>
          allowClear
          style={{ width: 200 }}
          value={typeof value === 'string' ? value : undefined}
          placeholder={placeholder}
          onChange={(v) => onChange(v ?? undefined)}
          options={spec.values.map((v) => ({ value: v, label: paramValueLabel(t, v) }))}
        />
      );
    case 'bool':
      return (
        <Select<'true' | 'false'>
          allowClear
          style={{ width: 200 }}
          value={typeof value === 'boolean' ? (String(value) as 'true' | 'false') : undefined}
          placeholder={placeholder}
          onChange={(v) => onChange(v === undefined ? undefined : v === 'true')}
          options={[
            { value: 'true', label: t('mask.value.yes') },
            { value: 'false', label: t('mask.value.no') },
          ]}
        />
      );
  }
}

export function RuleModal({
  resourceId,
  view,
  scenario,
  field,
  current,
  onClose,
}: {
  resourceId: string;
  view: MaskingView;
  scenario: MaskScenario;
  field: MaskingFieldInfo;
  current: ScenarioFieldRule;
  onClose: () => void;
}) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [method, setMethod] = useState<MaskMethod>(current.rule.method);
  const [params, setParamsState] = useState<Params>(current.rule.params ?? {});
  const [json, setJson] = useState(() => JSON.stringify(current.rule.params ?? {}));
  const [jsonError, setJsonError] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const save = useMaskingUpdate(resourceId, () => {
    message.success(t(restoring ? 'protection.masking.restored' : 'protection.masking.saved'));
    onClose();
  });

  const setParams = (next: Params) => {
    setParamsState(next);
    setJson(JSON.stringify(cleanParams(next)));
    setJsonError(false);
    save.reset();
  };
  const onJson = (text: string) => {
    setJson(text);
    save.reset();
    try {
      const v: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      setParamsState(v as Params);
      setJsonError(false);
    } catch {
      setJsonError(true);
    }
  };

  const submit = (rule: MaskRule | null) => {
    setRestoring(rule === null);
    save.mutate({ version: view.version, rules: { [scenario]: { [field.name]: rule } } });
  };
  const rule = (): MaskRule => {
    const p = cleanParams(params);
    return Object.keys(p).length > 0 ? { method, params: p } : { method };
  };

  // Problems the server named for this field in this scenario, by parameter ('' = the rule itself).
  const mine = (policyProblems(save.error) ?? []).filter((p) => p.scenario === scenario && problemField(p) === field.name);
  const problemFor = (param: string) => mine.find((p) => p.field === `${field.name}.params.${param}`)?.message;
  const ruleProblem = mine.find((p) => !p.field.includes('.params.'))?.message;
  const specs = paramFields(method, field.target);
  const listed = new Set(specs.map((s) => s.name));
  const otherProblems = mine.filter((p) => p.field.includes('.params.') && !listed.has(p.field.split('.params.')[1] ?? ''));

  return (
    <Modal
      open
      width={720}
      title={t('protection.masking.ruleTitle', { field: field.name, scenario: t(scenarioLabel(scenario)) })}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="rule-modal"
      footer={
        <Space>
          {current.source === 'override' && (
            <Button danger disabled={save.isPending} loading={save.isPending && restoring} onClick={() => submit(null)} data-testid="rule-restore">
              {t('protection.masking.restoreDefault')}
            </Button>
          )}
          <Button onClick={onClose} data-testid="rule-cancel">
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            disabled={jsonError || save.isPending}
            loading={save.isPending && !restoring}
            onClick={() => submit(rule())}
            data-testid="rule-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('protection.masking.target')}>{pick(TARGET_INFO[field.target])}</Descriptions.Item>
        <Descriptions.Item label={t('protection.masking.mode')}>
          <Tag color={current.mode === 'none' ? 'default' : current.mode === 'forbidden' ? 'red' : 'blue'}>{t(MASKING_LABEL[current.mode])}</Tag>
        </Descriptions.Item>
      </Descriptions>
      <MaskingSaveError error={save.error} />
      <Form layout="vertical">
        <Form.Item
          label={t('protection.masking.method')}
          extra={t('protection.masking.methodExtra', { target: pick(TARGET_INFO[field.target]) })}
          validateStatus={ruleProblem ? 'error' : undefined}
          help={ruleProblem}
        >
          <Select<MaskMethod>
            value={method}
            style={{ width: 320 }}
            onChange={(m) => {
              setMethod(m);
              setParams({});
            }}
            options={field.methods.map((m) => ({ value: m, label: t(MASK_METHOD[m]) }))}
            data-testid="rule-method"
          />
        </Form.Item>
        {specs.length > 0 && (
          <Space wrap size={[16, 0]} align="start">
            {specs.map((spec) => (
              <Form.Item
                key={spec.name}
                label={paramLabel(t, spec.name)}
                validateStatus={problemFor(spec.name) ? 'error' : undefined}
                help={problemFor(spec.name)}
              >
                <div data-testid={`rule-param-${spec.name}`}>
                  <ParamInput spec={spec} value={params[spec.name]} onChange={(v) => setParams({ ...params, [spec.name]: v })} />
                </div>
              </Form.Item>
            ))}
          </Space>
        )}
        <Form.Item
          label={t('protection.masking.paramsJson')}
          extra={t('protection.masking.paramsJsonExtra')}
          validateStatus={jsonError || otherProblems.length > 0 ? 'error' : undefined}
          help={jsonError ? t('protection.masking.paramsJsonInvalid') : otherProblems.length > 0 ? otherProblems.map((p) => p.message).join('；') : undefined}
        >
          <Input.TextArea
            rows={2}
            value={json}
            onChange={(e) => onJson(e.target.value)}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
            data-testid="rule-params-json"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
