// 更改脱敏对象 (PRT-4): what kind of value a field holds (resident ID, mobile, address, amount …) decides which
// masking methods apply. Inferred from the catalog's PI type and data type; the security officer may set it,
// or return it to the inferred kind. Rules already changed for the field must still apply to the new kind:
// the server refuses otherwise and names them.
import { Alert, App, Button, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { MASK_TARGETS } from '../../../../src/engines/masking/target.ts';
import { useI18n } from '../../i18n.tsx';
import type { MaskingFieldInfo, MaskingView, MaskTarget } from '../../protectionTypes.ts';
import { TARGET_INFO } from './maskingLabels.ts';
import { MaskingSaveError, useMaskingUpdate } from './maskingParts.tsx';

export function TargetModal({ resourceId, view, field, onClose }: { resourceId: string; view: MaskingView; field: MaskingFieldInfo; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [target, setTarget] = useState<MaskTarget>(field.target);
  const save = useMaskingUpdate(resourceId, () => {
    message.success(t('protection.masking.targetSaved'));
    onClose();
  });
  const submit = (value: MaskTarget | null) => save.mutate({ version: view.version, targets: { [field.name]: value } });

  return (
    <Modal
      open
      width={600}
      title={t('protection.masking.targetTitle', { field: field.name })}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="target-modal"
      footer={
        <Space>
          {field.targetSource === 'set' && (
            <Button disabled={save.isPending} onClick={() => submit(null)} data-testid="target-restore">
              {t('protection.masking.targetRestore')}
            </Button>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={target === field.target && field.targetSource === 'set'}
            onClick={() => submit(target)}
            data-testid="target-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('protection.masking.targetHelp')} />
      <MaskingSaveError error={save.error} />
      <Space orientation="vertical" size={4}>
        <Typography.Text type="secondary">{t('protection.masking.target')}</Typography.Text>
        <Select<MaskTarget>
          showSearch={{ optionFilterProp: 'label' }}
          value={target}
          style={{ width: 320 }}
          onChange={(v) => {
            setTarget(v);
            save.reset();
          }}
          options={MASK_TARGETS.map((v) => ({ value: v, label: pick(TARGET_INFO[v]) }))}
          data-testid="target-select"
        />
      </Space>
    </Modal>
  );
}
