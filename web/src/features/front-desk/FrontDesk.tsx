// 前台 · 客户到访: type the phone, tick what the customer says, and the judge's
// answer appears (debounced, nothing recorded) — who receives, whose customer,
// whether it uses a turn, the reason with its clause and evidence. One click
// registers the visit (the whole party in one event). Beside it the live
// rotation board and today's reminders.
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Col, Descriptions, Drawer, Form, Input, List, Modal, Radio, Row, Select, Space, Spin, Statistic, Tag, Typography,
} from 'antd';
import { CheckCircleFilled, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import type { InputRef } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import {
  judge, recordEvent, useAllEvents, useCustomers, useEvent, usePolicies, useReportDetails, useReports, useRotation, useStaff, type CompanionJudgement, type Judgement, type PolicyVersion,
} from '../../api/office.ts';
import { PRESETS } from '../../../../src/domain/policy/index.ts';
import { useLive } from '../../api/live.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { EVENT_TYPE, localTime, maskPhone, staffName, todayLocal, localDate, w } from '../../lib/format.ts';
import { phoneFieldError, readPhone } from '../../lib/phone-field.ts';
import { useOffice } from '../../layout/office.tsx';
import { RotationBoard } from './RotationBoard.tsx';

interface Companion { phone: string; name: string }
interface Says { firstVisit: 'yes' | 'no' | 'unsaid'; consultant?: string; invitedBy?: string; referredBy?: string; flyer: boolean }

/** Whether the policy in force asks for the customer's name at registration (registration_required_fields). */
function nameRequiredBy(policies: PolicyVersion[] | undefined, now = Date.now()): boolean {
  const current = (policies ?? []).filter((p) => Date.parse(p.effectiveAt) <= now || Number.isNaN(Date.parse(p.effectiveAt))).at(-1) ?? policies?.[0];
  if (!current) return false;
  const set = current.set.registration_required_fields;
  const fields = Array.isArray(set) ? set : (PRESETS.get(current.preset ?? '')?.parameters.registration_required_fields.value as readonly string[] | undefined) ?? [];
  return fields.includes('name');
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

export default function FrontDesk() {
  const { project, me, can } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const live = useLive(project);
  const staff = useStaff(project);
  const consultants = (staff.data ?? []).filter((s) => s.role === 'consultant' && !s.leftAt);
  const staffOptions = [{ value: 'unknown', label: t('说不清是哪位', 'cannot say who') }, ...consultants.map((s) => ({ value: s.id, label: `${s.name ?? s.id}${s.team ? ` · ${s.team}` : ''}` }))];

  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [party, setParty] = useState<Companion[]>([]);
  const [says, setSays] = useState<Says>({ firstVisit: 'unsaid', flyer: false });
  const [answer, setAnswer] = useState<Judgement | null>(null);
  const [judgeError, setJudgeError] = useState<string | null>(null);
  const [judging, setJudging] = useState(false);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [override, setOverride] = useState<{ open: boolean; to?: string; reason?: string }>({ open: false });
  const [reportsOpen, setReportsOpen] = useState(false);
  // The policy asks for the customer's name: the field is marked required, and a new customer is not sent without one
  // (the engine would refuse it, and the refusal would stay in the log).
  const policies = usePolicies(project);
  const nameRequired = nameRequiredBy(policies.data);
  const [nameError, setNameError] = useState<string | null>(null);
  const nameInput = useRef<InputRef>(null);

  const body = useMemo(() => {
    const s: Record<string, unknown> = {};
    if (says.firstVisit !== 'unsaid') s.firstVisit = says.firstVisit === 'yes';
    if (says.consultant) s.consultant = says.consultant;
    if (says.invitedBy) s.invitedBy = says.invitedBy;
    const referrer = says.referredBy ? readPhone(says.referredBy) : undefined;
    if (referrer) s.referredBy = { phone: referrer };
    if (says.flyer) s.flyer = true;
    // One phone grammar with the server (src/domain/phone.ts): +86, spaces, dashes, full-width digits.
    const companions = party.flatMap((c) => { const p = readPhone(c.phone); return p ? [{ phone: p, ...(c.name.trim() ? { name: c.name.trim() } : {}) }] : []; });
    return {
      customer: { phone: readPhone(phone) ?? '', ...(name.trim() ? { name: name.trim() } : {}) },
      ...(companions.length ? { party: companions } : {}),
      ...(Object.keys(s).length ? { says: s } : {}),
    };
  }, [phone, name, party, says]);
  const judgeKey = useDebounced(JSON.stringify(body), 250);

  // The answer appears as the phone is typed: a judge call records nothing.
  useEffect(() => {
    const b = JSON.parse(judgeKey) as typeof body;
    if (!b.customer.phone) {
      setAnswer(null);
      const v = phoneFieldError(phone);
      setJudgeError(v && !v.ok ? (lang === 'zh' ? v.zh : v.en) : null);
      return undefined;
    }
    let stale = false;
    setJudging(true);
    judge(project, b)
      .then((a) => { if (!stale) { setAnswer(a); setJudgeError(null); } })
      .catch((e: unknown) => { if (!stale) { setAnswer(null); setJudgeError(errorText(e)); } })
      .finally(() => { if (!stale) setJudging(false); });
    return () => { stale = true; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [judgeKey, project, live.arrivals.length]);

  const reset = () => {
    setPhone(''); setName(''); setParty([]); setSays({ firstVisit: 'unsaid', flyer: false }); setAnswer(null); setOverride({ open: false }); setNameError(null);
  };
  const askForName = () => {
    setNameError(t('请填写客户姓名：本案场制度要求登记客户姓名。', "Enter the customer's name: this office's policy requires it."));
    nameInput.current?.focus();
  };

  const register = async (receivedBy?: string, reason?: string) => {
    if (!answer) return;
    // A companion whose phone is not one would be left out of the party: say so instead.
    const badCompanion = party.find((c) => c.phone.trim() && !readPhone(c.phone));
    if (badCompanion) {
      const v = phoneFieldError(badCompanion.phone, {}) ?? { ok: false as const, zh: '同行人手机号不完整', en: "a companion's phone is incomplete" };
      message.error(t('同行人手机号：', "Companion's phone: ") + (v.ok ? '' : lang === 'zh' ? v.zh : v.en));
      return;
    }
    // A customer the office already holds may have a name on record (the engine checks); anyone else needs one here.
    if (nameRequired && !name.trim() && answer.claim !== 'owner') {
      setOverride({ open: false });
      askForName();
      return;
    }
    setSaving(true);
    try {
      const receiver = receivedBy ?? (answer.receiver !== 'none' ? answer.receiver : undefined);
      const r = await recordEvent(project, { type: 'visit', ...body, ...(receiver ? { receivedBy: receiver } : {}) });
      if (r.status === 'rejected') {
        message.error(rejectionText(r.rejection, lang));
        if (r.rejection?.field === 'customer.name') askForName();
        return;
      }
      // The visit records who really received. A visit has no note field, so the reason is recorded as a
      // manager's correction of it (the front desk may not record corrections; see docs/web.md).
      if (receivedBy && reason && receivedBy !== answer.receiver && can('manager', 'admin')) {
        const c = await recordEvent(project, { type: 'correction', of: r.id, set: { receivedBy }, reason, by: me ?? 'frontdesk' });
        if (c.status === 'rejected') message.warning(t('改派原因未能记录：', 'The override reason was not recorded: ') + rejectionText(c.rejection, lang));
      }
      setDone(t(`已登记：${name || maskPhone(readPhone(phone) ?? phone)}${party.length ? ` 等 ${party.length + 1} 人` : ''}，由 ${staffName(staff.data, receiver, lang)} 接待`, `Registered: ${name || maskPhone(readPhone(phone) ?? phone)}${party.length ? ` and ${party.length} more` : ''}, received by ${staffName(staff.data, receiver, lang)}`));
      reset();
      await qc.invalidateQueries({ queryKey: [project] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={15}>
        <Card title={<Space><UserAddOutlined />{t('客户到访', 'Customer arrival')}</Space>} extra={<Button size="small" onClick={() => setReportsOpen(true)} data-testid="expected-reports">{t('今日渠道预约', "Today's channel reports")}</Button>}>
          <Form layout="vertical" component="div">
            <Row gutter={12}>
              <Col xs={24} md={14}>
                <Form.Item label={t('手机号', 'Phone')} validateStatus={judgeError ? 'error' : undefined} help={judgeError ?? undefined}>
                  <Input size="large" inputMode="tel" placeholder="138 0013 8000" value={phone} onChange={(e) => { setPhone(e.target.value); setDone(null); }} maxLength={24} data-testid="phone" allowClear autoFocus />
                </Form.Item>
              </Col>
              <Col xs={24} md={10}>
                <Form.Item label={t('姓名', 'Name')} required={nameRequired} validateStatus={nameError ? 'error' : undefined} help={nameError ?? undefined} data-testid="name-item">
                  <Input ref={nameInput} size="large" placeholder={t('王先生', 'Mr Wang')} value={name} onChange={(e) => { setName(e.target.value); if (e.target.value.trim()) setNameError(null); }} maxLength={40} data-testid="name" aria-required={nameRequired} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t(`同行（共 ${party.length + 1} 人）`, `Party (${party.length + 1} in all)`)}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {party.map((c, i) => (
                  <Space key={i} wrap>
                    <Input placeholder={t('同行人手机号', "companion's phone")} value={c.phone} status={c.phone && phoneFieldError(c.phone) ? 'error' : undefined} title={(() => { const v = phoneFieldError(c.phone); return v && !v.ok ? (lang === 'zh' ? v.zh : v.en) : undefined; })()} onChange={(e) => setParty(party.map((x, j) => (j === i ? { ...x, phone: e.target.value } : x)))} style={{ width: 180 }} data-testid={`party-phone-${i}`} />
                    <Input placeholder={t('姓名', 'name')} value={c.name} onChange={(e) => setParty(party.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} style={{ width: 120 }} />
                    <Button onClick={() => setParty(party.filter((_, j) => j !== i))}>{t('移除', 'Remove')}</Button>
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => setParty([...party, { phone: '', name: '' }])} data-testid="add-companion">{t('添加同行人', 'Add companion')}</Button>
              </Space>
            </Form.Item>
            <Form.Item label={t('客户说', 'The customer says')}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Radio.Group value={says.firstVisit} onChange={(e) => setSays({ ...says, firstVisit: e.target.value as Says['firstVisit'] })} data-testid="first-visit">
                  <Radio value="yes">{t('第一次来', 'first visit')}</Radio>
                  <Radio value="no">{t('来过', 'been before')}</Radio>
                  <Radio value="unsaid">{t('没说', 'not said')}</Radio>
                </Radio.Group>
                <Space wrap>
                  <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} placeholder={t('指定顾问', 'Named consultant')} value={says.consultant} onChange={(v) => setSays({ ...says, consultant: v })} options={staffOptions} data-testid="named-consultant" />
                  <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} placeholder={t('邀约人', 'Invited by')} value={says.invitedBy} onChange={(v) => setSays({ ...says, invitedBy: v })} options={staffOptions.slice(1)} />
                  <Input style={{ width: 200 }} placeholder={t('老客户介绍：手机号', 'Referred by: phone')} value={says.referredBy} onChange={(e) => setSays({ ...says, referredBy: e.target.value })} status={says.referredBy && phoneFieldError(says.referredBy) ? 'warning' : undefined} />
                  <Checkbox checked={says.flyer} onChange={(e) => setSays({ ...says, flyer: e.target.checked })}>{t('看到宣传单', 'saw a flyer')}</Checkbox>
                </Space>
              </Space>
            </Form.Item>
          </Form>
          <Answer answer={answer} judging={judging} />
          {answer && <PartyAnswers answer={answer} party={party} />}
          {done && <Alert type="success" showIcon icon={<CheckCircleFilled />} message={done} style={{ marginTop: 12 }} data-testid="registered" />}
          <Space style={{ marginTop: 16, width: '100%', justifyContent: 'flex-end' }}>
            <Button size="large" disabled={!answer} onClick={() => setOverride({ open: true })} data-testid="override">{t('改由他人接待…', 'Someone else receives…')}</Button>
            <Button size="large" type="primary" disabled={!answer || saving} loading={saving} onClick={() => void register()} data-testid="register">{t('确认登记', 'Register')}</Button>
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={9}>
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <RotationBoard live={live.connected} />
          <Today onOpenReports={() => setReportsOpen(true)} />
        </Space>
      </Col>
      <Modal open={override.open} title={t('改由他人接待', 'Someone else receives')} okText={t('确认登记', 'Register')} cancelText={t('取消', 'Cancel')}
        okButtonProps={{ disabled: !override.to || !override.reason?.trim(), 'data-testid': 'override-ok' } as never}
        onCancel={() => setOverride({ open: false })} onOk={() => void register(override.to, override.reason?.trim())}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select style={{ width: '100%' }} placeholder={t('接待顾问', 'Receiving consultant')} value={override.to} onChange={(v) => setOverride({ ...override, to: v })} options={consultants.map((s) => ({ value: s.id, label: s.name ?? s.id }))} />
          {!can('manager', 'admin') && <Alert type="info" showIcon message={t('改派原因请同时告知案场经理：前台账号不能登记更正。', 'Tell the sales manager the reason too: the front desk may not record corrections.')} />}
          <Input.TextArea placeholder={t('原因（必填）', 'Reason (required)')} value={override.reason} onChange={(e) => setOverride({ ...override, reason: e.target.value })} maxLength={500} />
        </Space>
      </Modal>
      <ExpectedReports open={reportsOpen} onClose={() => setReportsOpen(false)} onPick={(n, p) => { setName(n); setPhone(p); setSays({ ...says, firstVisit: 'yes' }); setReportsOpen(false); }} />
    </Row>
  );
}

/** The judge's answer: one line of who/whose/turn, then the reason, clause and evidence. */
function Answer({ answer, judging }: { answer: Judgement | null; judging: boolean }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  const evidenceId = answer?.basis.events[0] ?? null;
  const evidence = useEvent(project, evidenceId);
  if (!answer) return judging ? <Spin /> : <Alert type="info" message={t('输入手机号后，这里立即显示判客结果（不会登记）。', 'Type the phone: the ruling appears here at once (nothing is recorded yet).')} />;
  const text = answer.basis.text?.[lang];
  const receiverText = answer.receiverBasis.clause !== answer.basis.clause ? answer.receiverBasis.text?.[lang] : null;
  const ev = evidence.data;
  return (
    <Card size="small" style={{ borderColor: '#b8322a', background: '#fffaf5' }} data-testid="judge-answer">
      <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="judge-line">
        {t('由 ', 'Received by ')}<span data-testid="judge-receiver">{staffName(staff.data, answer.receiver, lang)}</span>{t(' 接待 · 归属 ', ' · belongs to ')}
        <span data-testid="judge-owner">{answer.owner === 'none' ? t('新客户', 'new customer') : staffName(staff.data, answer.owner, lang)}</span>
        {' · '}{answer.countsAsTurn ? <Tag color="red">{t('计轮次', 'uses a turn')}</Tag> : <Tag>{t('不计轮次', 'no turn')}</Tag>}
      </Typography.Title>
      <Typography.Paragraph style={{ marginBottom: 4 }} data-testid="judge-reason">
        {t('依据：', 'Basis: ')}{text ?? (lang === 'zh' ? answer.reason.zh : answer.reason.en)}
      </Typography.Paragraph>
      {receiverText && <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{t('接待：', 'Reception: ')}{receiverText} <Tag>{answer.receiverBasis.clause}</Tag></Typography.Paragraph>}
      <Space wrap>
        <Tag color="volcano" data-testid="judge-clause">[{answer.basis.clause}]</Tag>
        {ev && <Typography.Text type="secondary">{t('证据：', 'Evidence: ')}{ev.local} {w(EVENT_TYPE[ev.type], lang, ev.type)}{t('登记', ' registered')}</Typography.Text>}
        {answer.helperFor && <Tag color="orange">{t(`协助 ${staffName(staff.data, answer.helperFor, lang)} 接待`, `helping ${staffName(staff.data, answer.helperFor, lang)}`)}</Tag>}
      </Space>
    </Card>
  );
}

/** What each companion comes out as, judged on their own, before the party is registered. */
function PartyAnswers({ answer, party }: { answer: Judgement; party: Companion[] }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  const rows = answer.party ?? [];
  if (!rows.length) return null;
  const nameOf = (phone: string) => party.find((c) => readPhone(c.phone) === phone)?.name.trim() ?? '';
  const own = rows.filter((m) => m.owner !== answer.owner && m.owner !== 'none');
  const outcome = (m: CompanionJudgement) => {
    const who = staffName(staff.data, m.owner, lang);
    switch (m.outcome) {
      case 'own': return t(`仍归 ${who}（自己的保护期内）`, `stays ${who}'s (their own protection)`);
      case 'report': return t(`归 ${who}（有效渠道报备，报备将转为已到访）`, `goes to ${who} (a valid channel report, which converts)`);
      case 'claim': return t(`归 ${who}（自己的归属依据）`, `goes to ${who} (a claim of their own)`);
      case 'follows': return t(`随本组归 ${who}`, `follows the party: ${who}`);
      default: return t('无归属', 'nobody\'s');
    }
  };
  return (
    <Card size="small" style={{ marginTop: 8 }} data-testid="party-answers" title={t(`同行人各自判客（${rows.length} 位）`, `Each companion judged (${rows.length})`)}>
      {own.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="party-warning"
        message={t(`注意：${own.length} 位同行人不随主客户归 ${staffName(staff.data, answer.owner, lang)}，登记后按各自判客结果归属。`, `Note: ${own.length} companion(s) do not go with the main customer to ${staffName(staff.data, answer.owner, lang)}; registering gives each their own outcome.`)} />}
      <List size="small" dataSource={rows} renderItem={(m) => {
        const text = m.basis.text?.[lang];
        return (
          <List.Item data-testid={`party-answer-${m.outcome}`}>
            <Space direction="vertical" size={0}>
              <Typography.Text>{nameOf(m.phone) && <Typography.Text strong>{nameOf(m.phone)} </Typography.Text>}{maskPhone(m.phone)} → {outcome(m)}</Typography.Text>
              <Space wrap size={4}><Tag color="volcano">[{m.basis.clause}]</Tag>{text && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{text}</Typography.Text>}</Space>
            </Space>
          </List.Item>
        );
      }} />
    </Card>
  );
}

/** Today's figures and reminders: visits, new customers, protection about to run out, reports due. */
function Today({ onOpenReports }: { onOpenReports: () => void }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  const { can } = useOffice();
  const full = can('manager', 'admin', 'controller');
  const events = useAllEvents(project, full);
  const rotation = useRotation(project);
  const customers = useCustomers(project);
  const reports = useReports(project);
  const today = todayLocal();
  const visits = (events.data ?? []).filter((e) => e.type === 'visit' && e.status === 'accepted' && localDate(e.at) === today);
  const newCustomers = full ? visits.filter((e) => (e.event.says as { firstVisit?: boolean } | undefined)?.firstVisit !== false).length : Object.values(rotation.data?.turnsToday ?? {}).reduce((a, b) => a + b, 0);
  const soon = (customers.data ?? []).filter((c) => c.status === 'protected' && c.protectedUntil && Date.parse(c.protectedUntil) - Date.now() < 86_400_000 && Date.parse(c.protectedUntil) > Date.now()).slice(0, 5);
  const dueToday = (reports.data ?? []).filter((r) => r.status === 'valid' && r.validUntil && localDate(r.validUntil) === today).length;
  const valid = (reports.data ?? []).filter((r) => r.status === 'valid').length;
  return (
    <Card size="small" title={t('今日', 'Today')}>
      <Row gutter={8}>
        {full && <Col span={8}><Statistic title={t('今日到访', 'Visits')} value={visits.length} /></Col>}
        <Col span={8}><Statistic title={full ? t('新客', 'New') : t('今日轮次', 'Turns today')} value={newCustomers} data-testid={full ? 'today-new' : 'today-turns'} /></Col>
        <Col span={8}><Statistic title={t('有效报备', 'Valid reports')} value={valid} /></Col>
      </Row>
      <Typography.Title level={5} style={{ marginTop: 12 }}>{t('提醒', 'Reminders')}</Typography.Title>
      <List size="small" dataSource={[
        ...soon.map((c) => `${c.name ?? maskPhone(c.phone)} ${t('保护期剩不到 1 天', 'protection ends within a day')}（${staffName(staff.data, c.owner, lang)}）`),
        ...(dueToday ? [t(`渠道报备 ${dueToday} 条今日到期`, `${dueToday} channel reports expire today`)] : []),
      ]} locale={{ emptyText: t('暂无提醒', 'No reminders') }} renderItem={(s) => <List.Item>{s}</List.Item>} />
      <Button type="link" onClick={onOpenReports} style={{ paddingInline: 0 }}>{t('查看渠道预约', 'See channel reports')}</Button>
    </Card>
  );
}

/** Valid channel reports (today's expected arrivals first): pick one to fill the form. */
function ExpectedReports({ open, onClose, onPick }: { open: boolean; onClose: () => void; onPick: (name: string, phone: string) => void }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  const reports = useReportDetails(project);
  const rows = (reports.data ?? []).filter((r) => r.status === 'valid').sort((a, b) => String(a.expectedAt ?? '').localeCompare(String(b.expectedAt ?? '')));
  const today = todayLocal();
  return (
    <Drawer open={open} onClose={onClose} title={t('渠道预约（有效报备）', 'Expected from channels (valid reports)')} size="default">
      <List dataSource={rows} loading={reports.isLoading} locale={{ emptyText: reports.error ? errorText(reports.error) : t('没有有效报备', 'No valid reports') }} renderItem={(r) => {
        const masked = r.phone.includes('*');
        return (
          <List.Item actions={[<Button key="p" size="small" onClick={() => onPick(r.name ?? '', masked ? r.phone.replace(/\*+.*$/, '') : r.phone)}>{t('到访', 'Arrived')}</Button>]}>
            <Descriptions size="small" column={1} items={[
              { key: 'n', label: t('客户', 'Customer'), children: `${r.name ?? ''} ${masked ? r.phone : maskPhone(r.phone)}` },
              { key: 'a', label: t('渠道', 'Agent'), children: staffName(staff.data, r.agent, lang) },
              { key: 'e', label: t('预计到访', 'Expected'), children: r.expectedAt ? <>{localTime(r.expectedAt)} {localDate(r.expectedAt) === today && <Tag color="red">{t('今日', 'today')}</Tag>}</> : '—' },
            ]} />
          </List.Item>
        );
      }} />
    </Drawer>
  );
}
