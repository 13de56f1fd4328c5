// 案场经理 · 轮排: today's roster (the order of the rotation) and the live board.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Col, Row, Select, Space, Typography } from 'antd';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { setRoster, useRecord, useRotation, useStaff } from '../../api/office.ts';
import { useLive } from '../../api/live.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { useOffice } from '../../layout/office.tsx';
import { RotationBoard } from '../front-desk/RotationBoard.tsx';

export default function Roster() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const live = useLive(project);
  const staff = useStaff(project);
  const rotation = useRotation(project);
  const save = useRecord(project, (order: string[]) => setRoster(project, { order }));
  const [order, setOrder] = useState<string[]>([]);
  useEffect(() => { if (rotation.data) setOrder(rotation.data.order); }, [rotation.data]);
  const consultants = (staff.data ?? []).filter((s) => s.role === 'consultant' && !s.leftAt);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title={t('今日轮排表', "Today's roster")}>
          <Typography.Paragraph type="secondary">{t('按接待顺序依次选择在岗顾问；保存后立即生效，前台轮排同步更新。', 'Choose the consultants on duty in receiving order; saving takes effect at once and the front desk board follows.')}</Typography.Paragraph>
          <Select mode="multiple" style={{ width: '100%' }} value={order} onChange={setOrder} data-testid="roster-select"
            options={consultants.map((s) => ({ value: s.id, label: `${s.name ?? s.id}${s.team ? ` · ${s.team}` : ''}` }))} />
          <Space style={{ marginTop: 12 }}>
            <Button type="primary" loading={save.isPending} disabled={!order.length} onClick={async () => {
              try {
                const r = await save.mutateAsync(order);
                if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
                else message.success(t('轮排表已保存', 'Roster saved'));
              } catch (e) { message.error(errorText(e)); }
            }} data-testid="roster-save">{t('保存轮排表', 'Save roster')}</Button>
            <Button onClick={() => setOrder(consultants.map((s) => s.id))}>{t('全部在岗', 'Everyone on duty')}</Button>
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={10}><RotationBoard live={live.connected} /></Col>
    </Row>
  );
}
