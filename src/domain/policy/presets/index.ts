import type { PresetDefinition } from '../define.ts';
import { attributionDefinition } from './attribution-definition.ts';
import { callbackDirectKin } from './callback-direct-kin.ts';
import { channelSmsReport } from './channel-sms-report.ts';
import { consultantRotationDetail } from './consultant-rotation-detail.ts';
import { devcoConductCh7 } from './devco-conduct-ch7.ts';
import { internalJieding06 } from './internal-jieding-06.ts';
import { onsiteOffsiteOutreach } from './onsite-offsite-outreach.ts';
import { receptionAbSplit } from './reception-ab-split.ts';
import { resourceTemplate3Month } from './resource-template-3month.ts';
import { salesDept1Rotation } from './sales-dept1-rotation.ts';
import { salesDeptFirstVisit } from './sales-dept-first-visit.ts';
import { shenyangMultiTeam } from './shenyang-multi-team.ts';
import { siteDraftOneMonth } from './site-draft-one-month.ts';
import { standard } from './standard.ts';
import { xxSiteMingyuan } from './xx-site-mingyuan.ts';

/** One preset per rulebook of the catalogue (the three generic essays have no rules), plus `standard`. */
export const PRESETS: ReadonlyMap<string, PresetDefinition> = new Map(
  [
    standard,
    salesDeptFirstVisit,
    internalJieding06,
    xxSiteMingyuan,
    resourceTemplate3Month,
    consultantRotationDetail,
    attributionDefinition,
    devcoConductCh7,
    onsiteOffsiteOutreach,
    siteDraftOneMonth,
    salesDept1Rotation,
    receptionAbSplit,
    shenyangMultiTeam,
    channelSmsReport,
    callbackDirectKin,
  ].map((p) => [p.id, p]),
);
