// One phone grammar for the web app and the server (issue 11): for every input
// below, the verdict a form gives (web/src/lib/phone-field.ts — what the front
// desk's and the channel form's fields call) is the server's: its request
// schema (a 400 for text that is not a phone) and then the engine
// (`invalid-phone` for a number that is no mainland mobile, or a mask of the
// wrong shape for the policy in force). A full number reads as the same
// 11 digits on both sides.
import { describe, expect, it } from 'vitest';
import { httpEvent } from '../src/server/schemas.ts';
import type { OfficeEvent } from '../src/domain/events.ts';
import { checkPhoneText, reportRules } from '../web/src/lib/phone-field.ts';
import { office, t } from './builders.ts';

const FULL = [
  '13800138000', '138 0013 8000', '138-0013-8000', ' 138 0013-8000 ', '+86 138 0013 8000', '+8613800138000', '0086 138 0013 8000', '(+86) 138-0013-8000',
  '１３８００１３８０００', '１３８ ００１３ ８０００', '＋８６ １３８－００１３－８０００', '138\u30000013\u30008000',
  // 86 without + or 00 before a mobile: 13 digits leave no doubt, and logs before the grammar accepted it.
  '86 138 0013 8000', '8613800138000',
];
const REFUSED = [
  '138 0013 800', '138001380001', '15400000000', '12345678901', '0571 8822 6601', '86 138 0013 800', '+1 212 555 0100',
  '138.0013.8000', '138 0013 80OO', 'abc', '13800138000;', '138/0013/8000', '',
];
const MASKS = ['138***88888', '138****8888', '138＊＊＊88888', '+86 138***88888', '138 *** 88888', '138**88888', '13*******88', '238***88888', '138***8888*'];
const ALL = [...FULL, ...REFUSED, ...MASKS];

type Verdict = { ok: true; phone?: string } | { ok: false };

/** The server's verdict on a visit or a report with this phone: the request schema, then the engine. */
function server(kind: 'visit' | 'report', phone: string, preset: string): Verdict {
  const body = kind === 'visit'
    ? { type: 'visit', customer: { phone, name: '王芳' }, receivedBy: 'A' }
    : { type: 'report', customer: { phone, name: '王芳' }, staff: 'X', expectedAt: '2025-03-02T10:00:00+08:00' };
  if (!httpEvent.safeParse(body).success) return { ok: false };
  const o = office(preset);
  const event = { ...body, id: 'e1', at: t('2025-03-01 10:00'), ...(kind === 'report' ? { expectedAt: t('2025-03-02 10:00') } : {}) } as unknown as OfficeEvent;
  const outcome = o.apply(event);
  if (!outcome.accepted) {
    expect(outcome.rejection.code, `${kind} ${JSON.stringify(phone)}`).toBe('invalid-phone');
    return { ok: false };
  }
  const known = [...o.state.customers.keys()];
  return { ok: true, ...(known.length ? { phone: known[0] } : {}) };
}

function web(kind: 'visit' | 'report', phone: string, preset: string): Verdict {
  const rules = reportRules([{ preset, set: {}, effectiveAt: '2020-01-01T00:00:00Z' }]);
  const v = kind === 'visit' ? checkPhoneText(phone) : checkPhoneText(phone, { masks: true, shape: rules.shape });
  return v.ok ? { ok: true, ...(v.phone ? { phone: v.phone } : {}) } : { ok: false };
}

describe('the web and the server read a phone the same way', () => {
  for (const [kind, preset] of [['visit', 'standard'], ['report', 'standard'], ['report', 'channel-sms-report']] as const) {
    it(`${kind} under ${preset}: ${ALL.length} inputs, one verdict`, () => {
      for (const text of ALL) expect(web(kind, text, preset), `${kind} ${JSON.stringify(text)}`).toEqual(server(kind, text, preset));
    });
  }

  it('accepts +86, spaces, dashes and full-width digits as the same number, and refuses the rest with a reason', () => {
    for (const text of FULL) expect(checkPhoneText(text)).toEqual({ ok: true, phone: '13800138000' });
    for (const text of REFUSED.filter(Boolean)) {
      const v = checkPhoneText(text);
      expect(v.ok, text).toBe(false);
      if (!v.ok) expect(v.zh.length, text).toBeGreaterThan(4);
    }
  });

  it("refuses a mask of the wrong shape in the preset's words (channel-sms-report.2c: 前三后五)", () => {
    const { shape } = reportRules([{ preset: 'channel-sms-report', set: {}, effectiveAt: '2020-01-01T00:00:00Z' }]);
    expect(shape).toEqual({ first: 3, last: 5 });
    expect(checkPhoneText('138****8888', { masks: true, shape })).toMatchObject({ ok: false, reason: 'mask-shape', zh: '隐号须为前三后五（如 138***88888）' });
    expect(checkPhoneText('138***88888', { masks: true, shape }).ok).toBe(true);
    // The standard preset takes any mask; an override sets a shape.
    expect(reportRules([{ preset: 'standard', set: {}, effectiveAt: '2020-01-01T00:00:00Z' }]).shape).toBeNull();
    expect(reportRules([{ preset: 'standard', set: { channel_report_rules: { masked_phone: { first: 3, last: 4 } } }, effectiveAt: '2020-01-01T00:00:00Z' }]).shape).toEqual({ first: 3, last: 4 });
  });
});
