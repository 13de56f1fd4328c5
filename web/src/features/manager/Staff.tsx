// 案场经理 · 人员: the office's people by team; add a consultant (or anyone)
// to a team — a new team name makes the team; mark one as left (离职) after a
// preview of where their customers go (the engine's decision on the
// departure, computed by the server and recorded nowhere), then confirm.
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, AutoComplete, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { addStaff, recordEvent, useRecord, useStaff, type Staff as StaffRow, type AddStaffBody, type HttpEventBody } from '../../api/office.ts';
import { fetchDeparturePreview, type DeparturePreview } from '../../api/people.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localDate, OWNER_STATUS, ROLE, spacedPhone, staffName, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

const ROLES = ['consultant', 'manager', 'frontdesk', 'channel', 'outreach', 'controller'] as const;
const OUTREACH = { zh: '拓客专员', en: 'outreach' };
const roleLabel = (r: string, lang: 'zh' | 'en') => (r === 'outreach' ? OUTREACH[lang] : w(ROLE[r], lang, r));

interface NewStaff { staff: string; name: string; team?: string; role: (typeof ROLES)[number]; agency?: string }

export default function Staff() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const staff = useStaff(project);
  const add = useRecord(project, (b: AddStaffBody) => addStaff(project, b));
  const leave = useRecord(project, (b: HttpEventBody) => recordEvent(project, b));
  const [form] = Form.useForm<NewStaff>();
  const role = Form.useWatch('role', form);
  const [leaving, setLeaving] = useState<StaffRow | null>(null);
  const [preview, setPreview] = useState<DeparturePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  const rows = staff.data ?? [];
  const teams = useMemo(() => {
    const m = new Map<string, number>();
    for (const s of rows) if (s.team && !s.leftAt) m.set(s.team, (m.get(s.team) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0], 'zh'));
  }, [rows]);

  const submit = async (v: NewStaff) => {
    if (rows.some((s) => s.id === v.staff.trim())) {
      form.setFields([{ name: 'staff', errors: [t('这个工号已经有人使用', 'This staff id is taken')] }]);
      return;
    }
    try {
      const r = await add.mutateAsync({ staff: v.staff.trim(), name: v.name.trim(), role: v.role, ...(v.team?.trim() ? { team: v.team.trim() } : {}), ...(v.role === 'channel' && v.agency?.trim() ? { agency: v.agency.trim() } : {}) });
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else {
        message.success(t(`已添加 ${v.name}`, `${v.name} added`));
        form.resetFields();
      }
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const openLeave = async (s: StaffRow) => {
    setLeaving(s);
    setPreview(null);
    setPreviewError(null);
    try {
      setPreview(await fetchDeparturePreview(project, s.id));
    } catch (e) {
      setPreviewError(errorText(e));
    }
  };
  const confirmLeave = async () => {
    if (!leaving) return;
    try {
      const r = await leave.mutateAsync({ type: 'leave', staff: leaving.id });
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else {
        message.success(t(`${leaving.name ?? leaving.id} 已办理离职`, `${leaving.name ?? leaving.id} has left`));
        setLeaving(null);
      }
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <Card title={t('人员', 'Staff')} extra={<Space wrap>{teams.map(([team, n]) => <Tag key={team}>{team} · {n}</Tag>)}</Space>}>
          <Table size="small" rowKey="id" loading={staff.isLoading} dataSource={rows} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }} columns={[
            { title: t('姓名', 'Name'), key: 'n', render: (_, s) => <span data-testid={`staff-${s.id}`}>{s.name ?? s.id} <Typography.Text type="secondary">{s.id}</Typography.Text></span> },
            { title: t('团队', 'Team'), dataIndex: 'team', render: (v: string | null) => v ?? '—' },
            { title: t('岗位', 'Role'), dataIndex: 'role', render: (v: string) => roleLabel(v, lang) },
            { title: t('状态', 'State'), key: 's', render: (_, s) => (s.leftAt ? <Tag data-testid={`left-${s.id}`}>{t(`${localDate(s.leftAt)} 离职`, `left ${localDate(s.leftAt)}`)}</Tag> : <Tag color="green">{t('在职', 'active')}</Tag>) },
            { title: '', key: 'a', render: (_, s) => (!s.leftAt && s.id !== me ? <Button size="small" danger onClick={() => void openLeave(s)} data-testid={`leave-${s.id}`}>{t('离职', 'Leaves')}</Button> : null) },
          ]} />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t('添加人员', 'Add a person')}>
          <Form form={form} layout="vertical" initialValues={{ role: 'consultant' }} onFinish={(v) => void submit(v)}>
            <Form.Item name="name" label={t('姓名', 'Name')} rules={[{ required: true, whitespace: true, message: t('请填写姓名', 'Enter the name') }]}><Input maxLength={200} data-testid="staff-name" /></Form.Item>
            <Form.Item name="staff" label={t('工号', 'Staff id')} extra={t('登记和报表中用来识别此人，之后不能修改。', 'Identifies the person in registrations and reports; cannot be changed later.')}
              rules={[{ required: true, whitespace: true, message: t('请填写工号', 'Enter a staff id') }, { pattern: /^[A-Za-z0-9._-]{1,64}$/, message: t('工号只能包含字母、数字、点、横线和下划线', 'Letters, digits, dots, dashes and underscores only') }]}>
              <Input maxLength={64} placeholder="gw05" data-testid="staff-id" />
            </Form.Item>
            <Form.Item name="role" label={t('岗位', 'Role')}><Select options={ROLES.map((r) => ({ value: r, label: roleLabel(r, lang) }))} data-testid="staff-role" /></Form.Item>
            <Form.Item name="team" label={t('团队', 'Team')} extra={t('选择已有团队，或输入新团队名称以新建团队。', 'Pick a team, or type a new name to start a team.')}>
              <AutoComplete options={teams.map(([team]) => ({ value: team }))} filterOption={(input, o) => String(o?.value ?? '').includes(input)}>
                <Input maxLength={200} placeholder={t('如：一组', 'e.g. Team 1')} data-testid="staff-team" />
              </AutoComplete>
            </Form.Item>
            {role === 'channel' && <Form.Item name="agency" label={t('所属渠道公司', 'Agency')}><Input maxLength={200} /></Form.Item>}
            <Button type="primary" htmlType="submit" block loading={add.isPending} data-testid="staff-add">{t('添加', 'Add')}</Button>
          </Form>
        </Card>
      </Col>
      <Modal open={!!leaving} width={720} title={t(`${leaving?.name ?? leaving?.id ?? ''} 离职`, `${leaving?.name ?? leaving?.id ?? ''} leaves`)} onCancel={() => setLeaving(null)}
        okText={t('确认离职', 'Confirm the departure')} okButtonProps={{ danger: true, disabled: !preview || !!preview.refused, loading: leave.isPending, ...({ 'data-testid': 'departure-confirm' } as object) }} cancelText={t('取消', 'Cancel')} onOk={() => void confirmLeave()}>
        {previewError && <Alert type="error" showIcon message={previewError} />}
        {!preview && !previewError && <Spin />}
        {preview && (
          <div data-testid="departure-preview">
            {preview.refused && <Alert type="error" showIcon message={preview.refused[lang]} style={{ marginBottom: 8 }} />}
            <Typography.Paragraph>
              {preview.policy.value === 'public_pool'
                ? t(`按制度，离职后其名下未成交的 ${preview.counts.pool} 位客户转入公客池，由经理重新分配；已成交客户归属不变。`, `Under the policy, their ${preview.counts.pool} customers without a deal go to the department's pool for you to reassign; customers who bought stay with them.`)
                : t('本制度未规定离职人员客户的去向：客户归属不变，保护期到期后按制度由下一次有效联系决定。', 'The policy says nothing about a departed consultant’s customers: they stay with them until protection runs out, then the next contact decides.')}
              {' '}<Tag>{preview.policy.clause}</Tag>
            </Typography.Paragraph>
            {preview.policy.text && <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>「{preview.policy.text[lang]}」</Typography.Paragraph>}
            {preview.inRoster && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t('此人在今日轮排表中：离职后轮排将跳过此人。', 'They are on today’s roster: the rotation passes over them from now on.')} />}
            <Table size="small" rowKey="phone" pagination={{ pageSize: 8, hideOnSinglePage: true }} dataSource={preview.customers} locale={{ emptyText: t('名下没有客户', 'No customers') }} columns={[
              { title: t('客户', 'Customer'), key: 'c', render: (_, c) => <span>{c.name ?? ''} {spacedPhone(c.phone)}</span> },
              { title: t('现在', 'Now'), key: 'b', render: (_, c) => <Tag color={OWNER_STATUS[c.before.status]?.color}>{w(OWNER_STATUS[c.before.status], lang, c.before.status)}</Tag> },
              { title: t('离职后', 'After'), key: 'a', render: (_, c) => (c.after.outcome === 'pool'
                ? <Tag color="purple" data-testid="goes-to-pool">{t('转入公客池', 'to the pool')}</Tag>
                : <Tag>{t(`仍归 ${staffName(rows, c.after.owner, lang)}`, `stays with ${staffName(rows, c.after.owner, lang)}`)}</Tag>) },
              { title: t('依据', 'Basis'), dataIndex: 'clause', render: (v: string) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text> },
            ]} />
          </div>
        )}
      </Modal>
    </Row>
  );
}
