// The time of record. A visit slip dated by whoever writes it is the forged
// slip of a dispute: so the server's clock dates what staff record. A
// client's own `at` stands only within a small skew of that clock (a desk
// whose clock lags, a form sent a minute after the customer sat down). A
// manager may register a past event (补登) with a reason; it stays marked
// late wherever its evidence shows. Nobody records an event in the future.
//
// Pure: the clock comes in as `now`.

export interface RecordTimeRule {
  /** How far a client's `at` may lie ahead of the server's clock (ms). */
  aheadMs: number;
  /** How far a client's `at` may lie behind it before the event is late (ms). */
  behindMs: number;
}

export const DEFAULT_RECORD_TIME: RecordTimeRule = { aheadMs: 2 * 60_000, behindMs: 10 * 60_000 };

/** Who records: staff (front desk, consultant, channel, outreach) or someone who may register late (manager, admin). */
export type Recorder = 'staff' | 'manager';

export type RecordTimeRefusal =
  | { code: 'at-in-future'; field: 'at'; messageZh: string; messageEn: string }
  | { code: 'at-outside-window'; field: 'at'; messageZh: string; messageEn: string }
  | { code: 'late-reason-required'; field: 'lateReason'; messageZh: string; messageEn: string };

export type RecordTime =
  | { ok: true; at: number; late: boolean; lateReason?: string }
  | { ok: false; refusal: RecordTimeRefusal };

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * The time an event is recorded at, or why the client's `at` is refused.
 * `at` absent: the server's clock. Within the skew: the client's `at` (late: false).
 * Further behind: a manager's with a reason (late: true), refused for staff.
 */
export function timeOfRecord(input: { at: number | undefined; now: number; recorder: Recorder; lateReason?: string | undefined; rule?: RecordTimeRule }): RecordTime {
  const rule = input.rule ?? DEFAULT_RECORD_TIME;
  const { now } = input;
  if (input.at === undefined) return { ok: true, at: now, late: false };
  const at = input.at;
  if (at > now + rule.aheadMs) {
    return {
      ok: false,
      refusal: {
        code: 'at-in-future',
        field: 'at',
        messageZh: `登记时间晚于服务器时间 ${minutes(at - now)} 分钟：不能登记未来的事件（允许误差 ${minutes(rule.aheadMs)} 分钟）`,
        messageEn: `at lies ${minutes(at - now)} min after the server's clock: no event is recorded in the future (skew allowed: ${minutes(rule.aheadMs)} min)`,
      },
    };
  }
  if (at >= now - rule.behindMs) return { ok: true, at, late: false };
  if (input.recorder === 'staff') {
    return {
      ok: false,
      refusal: {
        code: 'at-outside-window',
        field: 'at',
        messageZh: `登记时间早于服务器时间 ${minutes(now - at)} 分钟：事件时间以服务器时间为准（允许误差 ${minutes(rule.behindMs)} 分钟），补登请找案场经理`,
        messageEn: `at lies ${minutes(now - at)} min before the server's clock: events are dated by the server (skew allowed: ${minutes(rule.behindMs)} min); ask a manager to register it late`,
      },
    };
  }
  const reason = input.lateReason?.trim();
  if (!reason) {
    return {
      ok: false,
      refusal: {
        code: 'late-reason-required',
        field: 'lateReason',
        messageZh: `补登（事件时间早于服务器时间 ${minutes(now - at)} 分钟）须填写补登原因`,
        messageEn: `registering an event ${minutes(now - at)} min in the past (补登) needs a lateReason`,
      },
    };
  }
  return { ok: true, at, late: true, lateReason: reason };
}

/** Whether an event was recorded later than the skew allows after its `at` (shown as 补登 beside both times). */
export function isLate(atMs: number, recordedAtMs: number, rule: RecordTimeRule = DEFAULT_RECORD_TIME): boolean {
  return recordedAtMs - atMs > rule.behindMs;
}
