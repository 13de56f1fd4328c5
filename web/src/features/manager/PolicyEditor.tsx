// 案场经理 · 规则: pick a preset, edit its parameters with each clause's text
// beside it, preview the effect (what-if replay of the log: who would change
// owner, which deals would split differently), then schedule the version with
// an effective date. The controller sees it read-only.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, DatePicker, Empty, InputNumber, Row, Select, Space, Switch, Table, Tag, Tooltip, Typography, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { schedulePolicy, usePolicies, useRecord, useStaff, whatIf, type PolicyBody, type WhatIf } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { OWNER_STATUS, spacedPhone, staffName, w } from '../../lib/format.ts';
import { clauseOf, overridesOf, PARAMETER_IDS, policyParameters, PRESETS, valuesOf, type PresetDefinition } from '../../lib/policy.ts';
import { defaultClauseText, isDefaultClause, rulebookOf } from '../../../../src/domain/policy/schema.ts';
import { FIELD_LABELS, OPTION_LABELS, PARAMETER_LABELS, RULEBOOK_TITLES_EN, type Label } from './policy-labels.ts';
import { useOffice } from '../../layout/office.tsx';

type Z = { def: { type: string; innerType?: Z; entries?: Record<string, string>; shape?: Record<string, Z>; items?: Z[]; element?: Z }; shape?: Record<string, Z> };
const defOf = (s: Z) => s.def;

/** One value editor per zod shape of the policy schema (the domain's own schema drives the form). */
function ValueEditor({ schema, value, onChange, disabled, path }: { schema: Z; value: unknown; onChange: (v: unknown) => void; disabled: boolean; path: string }) {
  const { t, lang } = useI18n();
  const d = defOf(schema);
  // Options in words (policy-labels.ts), the identifier only where a label is missing (a unit test forbids that).
  const option = (x: string) => OPTION_LABELS[`${path}=${x}`];
  const optionWords = (x: string) => words(option(x), lang, x);
  switch (d.type) {
    case 'nullable': {
      const inner = d.innerType!;
      return (
        <Space wrap>
          {value !== null && <ValueEditor schema={inner} value={value} onChange={onChange} disabled={disabled} path={path} />}
          <Checkbox disabled={disabled} checked={value === null} onChange={(e) => onChange(e.target.checked ? null : defaultOf(inner))}>{t('不限/未规定', 'none')}</Checkbox>
        </Space>
      );
    }
    case 'number':
      return <InputNumber disabled={disabled} value={value as number} onChange={(v) => onChange(v ?? 0)} min={0} data-testid={`param-${path}`} style={{ width: 100 }} />;
    case 'boolean':
      return <Switch disabled={disabled} checked={value as boolean} onChange={onChange} size="small" />;
    case 'string':
      return <Input disabled={disabled} value={value as string} onChange={(e) => onChange(e.target.value)} style={{ width: 120 }} />;
    case 'enum': {
      const current = option(value as string);
      return (
        <Space direction="vertical" size={0}>
          <Select disabled={disabled} value={value as string} onChange={onChange} style={{ minWidth: 240 }} data-testid={`param-${path}`} popupMatchSelectWidth={false}
            options={Object.values(d.entries ?? {}).map((x) => ({ value: x, label: optionWords(x), title: option(x)?.hint[lang] }))}
            optionRender={(o) => <Space direction="vertical" size={0}><span>{o.label}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{option(String(o.value))?.hint[lang]}</Typography.Text></Space>} />
          {current && <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`hint-${path}`}>{current.hint[lang]}</Typography.Text>}
        </Space>
      );
    }
    case 'tuple':
      return (
        <Space>
          {(d.items ?? []).map((it, i) => <InputNumber key={i} disabled={disabled} value={(value as number[])[i]} min={0} max={10} style={{ width: 64 }} onChange={(v) => onChange((value as number[]).map((x, j) => (j === i ? v ?? 0 : x)))} />)}
        </Space>
      );
    case 'array': {
      const el = d.element!;
      const opts = el.def.type === 'enum' ? Object.values(el.def.entries ?? {}) : [];
      return <Select disabled={disabled} mode={opts.length ? 'multiple' : 'tags'} value={value as string[]} onChange={onChange} style={{ minWidth: 260 }} data-testid={`param-${path}`} options={opts.map((x) => ({ value: x, label: optionWords(x), title: option(x)?.hint[lang] }))} />;
    }
    case 'object': {
      const shape = d.shape ?? schema.shape ?? {};
      return (
        <Space direction="vertical" size={4}>
          {Object.entries(shape).map(([k, s]) => (
            <Space key={k} wrap align="start"><Tooltip title={FIELD_LABELS[`${path}.${k}`]?.hint[lang]}><Typography.Text type="secondary" style={{ fontSize: 12, minWidth: 170, display: 'inline-block' }} data-testid={`field-${path}.${k}`}>{words(FIELD_LABELS[`${path}.${k}`], lang, k)}</Typography.Text></Tooltip>
              <ValueEditor schema={s} value={(value as Record<string, unknown>)[k]} disabled={disabled} path={`${path}.${k}`} onChange={(v) => onChange({ ...(value as object), [k]: v })} />
            </Space>
          ))}
        </Space>
      );
    }
    default:
      return <Typography.Text code>{JSON.stringify(value)}</Typography.Text>;
  }
}
/** A label in the reader's language; the raw identifier only where none exists. */
function words(l: Label | undefined, lang: 'zh' | 'en', fallback: string): string {
  return l ? l[lang] : fallback;
}

/** A clause as people cite it: its rulebook's title, then the clause number (or the standard policy's recommendation). */
export function clauseCitation(clause: string, lang: 'zh' | 'en'): { title: string; number: string } {
  const book = rulebookOf(clause);
  const title = lang === 'zh' ? PRESETS.get(book)?.titleZh ?? clauseOf(clause)?.bookTitle ?? book : RULEBOOK_TITLES_EN[book] ?? book;
  if (isDefaultClause(clause)) return { title, number: lang === 'zh' ? '未规定' : 'silent' };
  const n = clause.slice(book.length + 1);
  return { title, number: lang === 'zh' ? `第 ${n} 条` : `clause ${n}` };
}

function defaultOf(s: Z): unknown {
  const d = defOf(s);
  if (d.type === 'number') return 0;
  if (d.type === 'boolean') return false;
  if (d.type === 'enum') return Object.values(d.entries ?? {})[0];
  if (d.type === 'object') return Object.fromEntries(Object.entries(d.shape ?? {}).map(([k, v]) => [k, defaultOf(v)]));
  if (d.type === 'string') return '';
  return null;
}

export default function PolicyEditor() {
  const { project, me, can } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const policies = usePolicies(project);
  const staff = useStaff(project);
  const current = policies.data?.at(-1);
  const [presetId, setPresetId] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, unknown> | null>(null);
  const [preview, setPreview] = useState<WhatIf | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [effective, setEffective] = useState<Dayjs>(() => dayjs().add(1, 'day').startOf('day'));
  const readOnly = !can('manager', 'admin');
  const schedule = useRecord(project, (b: PolicyBody) => schedulePolicy(project, b));

  useEffect(() => {
    if (current && presetId === null) {
      const p = PRESETS.get(current.preset ?? '');
      if (p) { setPresetId(p.id); setValues(valuesOf(p, current.set)); }
    }
  }, [current, presetId]);
  const preset: PresetDefinition | undefined = presetId ? PRESETS.get(presetId) : undefined;
  const set = useMemo(() => (preset && values ? overridesOf(preset, values) : {}), [preset, values]);
  const changed = !!current && (current.preset !== presetId || JSON.stringify(overridesOf(PRESETS.get(current.preset ?? '')!, valuesOf(PRESETS.get(current.preset ?? '')!, current.set))) !== JSON.stringify(set));
  useEffect(() => setPreview(null), [presetId, values]);

  const runPreview = async () => {
    if (!presetId) return; // the policies have not loaded yet
    setPreviewing(true);
    try {
      setPreview(await whatIf(project, { preset: presetId, set }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setPreviewing(false);
    }
  };
  const apply = async () => {
    if (!presetId) return;
    try {
      const r = await schedule.mutateAsync({ preset: presetId, set, effectiveAt: effective.valueOf(), ...(me ? { by: me } : {}) });
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else { message.success(t(`新规则已排定，${effective.format('YYYY-MM-DD HH:mm')} 生效`, `Scheduled: in force from ${effective.format('YYYY-MM-DD HH:mm')}`)); setPreview(null); }
    } catch (e) {
      message.error(errorText(e));
    }
  };

  if (!preset || !values) return <Card loading />;
  const shape = policyParameters.shape as unknown as Record<string, { shape: { value: Z } }>;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={15}>
        <Card title={t('规则参数', 'Policy parameters')} extra={
          <Select value={presetId} style={{ width: 280 }} disabled={readOnly} data-testid="preset-select" onChange={(id: string) => { const p = PRESETS.get(id)!; setPresetId(id); setValues(valuesOf(p)); }}
            options={[...PRESETS.values()].map((p) => ({ value: p.id, label: lang === 'zh' ? p.titleZh : RULEBOOK_TITLES_EN[p.id] ?? p.id }))} />
        }>
          {readOnly && <Alert type="info" showIcon message={t('只读：规则由案场经理修改。', 'Read-only: the sales manager edits the policy.')} style={{ marginBottom: 12 }} />}
          <Table size="small" pagination={false} rowKey="id" dataSource={PARAMETER_IDS.map((id) => ({ id }))} columns={[
            { title: t('参数', 'Parameter'), key: 'p', width: '45%', render: (_, { id }) => {
              const base = (preset.parameters as Record<string, { value: unknown }>)[id]!.value;
              const edited = JSON.stringify(base) !== JSON.stringify(values[id]);
              return (
                <Space direction="vertical" size={2}>
                  <Space><Typography.Text strong data-testid={`label-${id}`}>{words(PARAMETER_LABELS[id], lang, id)}</Typography.Text>{edited && <Tag color="orange">{t('已改', 'edited')}</Tag>}</Space>
                  {PARAMETER_LABELS[id] && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{PARAMETER_LABELS[id].hint[lang]}</Typography.Text>}
                  <ValueEditor schema={shape[id]!.shape.value} value={values[id]} disabled={readOnly} path={id} onChange={(v) => setValues({ ...values, [id]: v })} />
                </Space>
              );
            } },
            { title: t('条款原文', 'Clause'), key: 'c', render: (_, { id }) => {
              const p = (preset.parameters as Record<string, { clause: string; note?: string }>)[id]!;
              const c = clauseOf(p.clause);
              const cite = clauseCitation(p.clause, lang);
              const silent = defaultClauseText(p.clause);
              return (
                <Space direction="vertical" size={0}>
                  <Tooltip title={p.clause}><Typography.Text style={{ fontSize: 12 }} data-testid={`clause-${id}`}>{lang === 'zh' ? `《${cite.title}》` : `${cite.title}, `}<Tag color="volcano" style={{ marginInlineStart: 4 }}>{cite.number}</Tag></Typography.Text></Tooltip>
                  <Typography.Text style={{ fontSize: 13 }}>{c ? (lang === 'zh' ? c.zh : c.en) : silent ? silent[lang] : t('（条款原文缺失）', '(clause text missing)')}</Typography.Text>
                  {preset.fromStandard.includes(id as never) && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('本制度未规定，采用标准制度的选择', 'Not stated by this rulebook: the standard choice')}</Typography.Text>}
                </Space>
              );
            } },
          ]} />
        </Card>
      </Col>
      <Col xs={24} xl={9}>
        <Card title={t('预览影响并生效', 'Preview and schedule')}>
          <Typography.Paragraph type="secondary">{t('预览会按新规则重放案场的全部登记记录（演示案场即近一个月），列出归属或分成会变化的客户与成交，不会修改任何数据。', 'The preview replays the office’s whole log (a month for the demo office) under the new rules and lists the customers and deals that would change; it changes nothing.')}</Typography.Paragraph>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap><Typography.Text>{t('当前：', 'Now: ')}{current ? `${presetTitle(current.preset ?? '', lang)} v${current.version}` : '—'}</Typography.Text>{changed && <Tag color="orange">{t(`改动 ${Object.keys(set).length} 项`, `${Object.keys(set).length} overrides`)}</Tag>}</Space>
            <Button onClick={() => void runPreview()} loading={previewing} disabled={readOnly} data-testid="preview">{t('预览影响', 'Preview the effect')}</Button>
            {preview && <PreviewResult preview={preview} staff={staff.data} />}
            <Space wrap>
              <Typography.Text>{t('生效于', 'In force from')}</Typography.Text>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" value={effective} onChange={(d) => d && setEffective(d)} disabled={readOnly} allowClear={false} />
            </Space>
            <Button type="primary" disabled={readOnly || !preview || !changed} loading={schedule.isPending} onClick={() => void apply()} data-testid="apply-policy">{t('排定生效', 'Schedule this version')}</Button>
            {!preview && !readOnly && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('请先预览影响，再排定生效。', 'Preview the effect before scheduling.')}</Typography.Text>}
          </Space>
        </Card>
        <Card title={t('版本记录', 'Versions')} style={{ marginTop: 16 }}>
          <Table size="small" pagination={false} rowKey="version" dataSource={[...(policies.data ?? [])].reverse()} data-testid="policy-versions" columns={[
            { title: 'v', dataIndex: 'version', width: 40 },
            { title: t('制度', 'Preset'), dataIndex: 'preset', render: (v: string) => presetTitle(v, lang) },
            { title: t('改动', 'Overrides'), key: 's', render: (_, r) => Object.keys(r.set ?? {}).map((k) => words(PARAMETER_LABELS[k], lang, k)).join(lang === 'zh' ? '、' : ', ') || '—' },
            { title: t('生效于', 'From'), key: 'e', render: (_, r) => (r.effectiveAt?.startsWith('-') || !r.effectiveAt ? t('建立时', 'from the start') : dayjs(r.effectiveAt).format('YYYY-MM-DD HH:mm')) },
          ]} />
        </Card>
      </Col>
    </Row>
  );
}

const presetTitle = (id: string, lang: 'zh' | 'en') => (lang === 'zh' ? PRESETS.get(id)?.titleZh : RULEBOOK_TITLES_EN[id]) ?? id;

function PreviewResult({ preview, staff }: { preview: WhatIf; staff: Parameters<typeof staffName>[0] }) {
  const { t, lang } = useI18n();
  if (!preview.customers.length && !preview.deals.length && !preview.rejections.length) return <Empty data-testid="preview-result" description={t('按新规则，没有客户或成交会变化。', 'Nothing would change under the new rules.')} />;
  return (
    <div data-testid="preview-result">
      <Alert type="warning" showIcon message={t(`将有 ${preview.customers.length} 位客户归属变化，${preview.deals.length} 笔成交分成变化，${preview.rejections.length} 条登记的受理结果变化。`, `${preview.customers.length} customers would change owner, ${preview.deals.length} deals would split differently, ${preview.rejections.length} registrations would be decided differently.`)} />
      <Table size="small" style={{ marginTop: 8 }} rowKey="phone" dataSource={preview.customers} pagination={{ pageSize: 8, size: 'small' }} columns={[
        { title: t('客户', 'Customer'), key: 'c', render: (_, c) => `${c.name ?? ''} ${spacedPhone(c.phone)}` },
        { title: t('现在', 'Now'), key: 'b', render: (_, c) => `${staffName(staff, c.before.owner, lang)} · ${w(OWNER_STATUS[c.before.status], lang, c.before.status)}` },
        { title: t('新规则下', 'Under the new rules'), key: 'a', render: (_, c) => `${staffName(staff, c.after.owner, lang)} · ${w(OWNER_STATUS[c.after.status], lang, c.after.status)}` },
      ]} />
      {preview.deals.length > 0 && (
        <Table size="small" rowKey="id" dataSource={preview.deals} pagination={{ pageSize: 5, size: 'small' }} columns={[
          { title: t('成交', 'Deal'), dataIndex: 'id' },
          { title: t('现在（佣金）', 'Now (commission)'), key: 'b', render: (_, d) => share(d.before?.commission, staff, lang) },
          { title: t('新规则下', 'New'), key: 'a', render: (_, d) => share(d.after?.commission, staff, lang) },
        ]} />
      )}
    </div>
  );
}
const share = (m: Record<string, number> | undefined, staff: Parameters<typeof staffName>[0], lang: 'zh' | 'en') =>
  m ? Object.entries(m).map(([k, v]) => `${staffName(staff, k, lang)} ${Math.round(v * 100)}%`).join('，') : '—';
