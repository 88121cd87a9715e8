import { Segmented } from 'antd';
import { type Lang, useI18n } from '../i18n.tsx';

/** 中文 / English switch; the choice is remembered and sent as Accept-Language. */
export function LangSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      size={size}
      aria-label={t('lang.switch')}
      data-testid="lang-switch"
      value={lang}
      onChange={(v) => setLang(v)}
      options={[
        { label: <span data-testid="lang-zh">中文</span>, value: 'zh' },
        { label: <span data-testid="lang-en">English</span>, value: 'en' },
      ]}
    />
  );
}
