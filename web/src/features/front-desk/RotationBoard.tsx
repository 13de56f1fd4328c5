// 今日轮排 — the live rotation: who is up, who is receiving or away, make-up
// turns owed. Updated by the SSE stream (useLive puts each `rotation` event in
// the query cache), so every screen beside the door shows the same queue.
import { Badge, Button, Card, Dropdown, List, Space, Tag, Typography } from 'antd';
import { CaretRightFilled } from '@ant-design/icons';
import { App as AntApp } from 'antd';
import { errorText } from '../../api/client.ts';
import { setStatus, useRecord, useRotation, useStaff, type StatusBody } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { PRESENCE, staffName, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

export function RotationBoard({ live, editable = true }: { live: boolean; editable?: boolean }) {
  const { project, can } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const rotation = useRotation(project);
  const staff = useStaff(project);
  const status = useRecord(project, (b: StatusBody) => setStatus(project, b));
  const r = rotation.data;
  const mayEdit = editable && can('frontdesk', 'manager', 'admin');

  const change = async (id: string, state: StatusBody['state']) => {
    try {
      await status.mutateAsync({ staff: id, state });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Card size="small" data-testid="rotation-board" loading={rotation.isLoading}
      title={<Space>{t('今日轮排', "Today's rotation")}<Badge status={live ? 'processing' : 'default'} text={live ? t('实时', 'live') : t('未连接', 'offline')} /></Space>}>
      {r && r.order.length === 0 && <Typography.Text type="secondary">{t('今天还没有排班。', 'No roster for today yet.')}</Typography.Text>}
      <List size="small" dataSource={r?.order ?? []} renderItem={(id, i) => {
        const p = r!.presence[id] ?? 'available';
        const pres = PRESENCE[p] ?? { zh: p, en: p, color: 'default' };
        const up = r!.next === id;
        const makeUps = r!.makeUps[id] ?? 0;
        return (
          <List.Item data-testid={`rot-${id}`} data-next={up ? 'true' : 'false'} style={{ background: up ? '#fff1f0' : undefined, paddingInline: 8 }}
            actions={mayEdit ? [
              <Dropdown key="s" trigger={['click']} menu={{ items: ['present', 'busy', 'away-business', 'away-personal', 'off'].map((s) => ({ key: s, label: w(PRESENCE[s], lang) })), onClick: (e) => void change(id, e.key as StatusBody['state']) }}>
                <Button size="small" type="text">{t('状态', 'Status')}</Button>
              </Dropdown>,
            ] : []}>
            <Space>
              <Typography.Text type="secondary" style={{ width: 18, display: 'inline-block' }}>{i + 1}</Typography.Text>
              {up ? <CaretRightFilled style={{ color: '#b8322a' }} aria-label={t('轮到', 'up next')} /> : <span style={{ width: 14, display: 'inline-block' }} />}
              <Typography.Text strong={up}>{staffName(staff.data, id, lang)}</Typography.Text>
              <Tag color={pres.color}>{pres[lang]}</Tag>
              {makeUps > 0 && <Tag color="magenta">{t(`补接×${makeUps}`, `make-up ×${makeUps}`)}</Tag>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`turns-${id}`}>{t(`已接 ${r!.turnsToday?.[id] ?? 0}`, `${r!.turnsToday?.[id] ?? 0} today`)}</Typography.Text>
            </Space>
          </List.Item>
        );
      }} />
      {r && <Typography.Text type="secondary" data-testid="rotation-next">{t('下一位：', 'Next: ')}{staffName(staff.data, r.next, lang)}</Typography.Text>}
    </Card>
  );
}
