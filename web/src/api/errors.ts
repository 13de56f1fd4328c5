// Every problem+json code of docs/api.md and every rejection code of the
// engine (src/domain/rejection.ts), in words a sales assistant understands.
// A code not listed here falls back to a general sentence, never the code.
// The keys are checked by the type checker: words for every code the server
// answers (ERROR_CODES, src/shared/error-codes.ts), every refusal of the
// engine (REJECTION_CODES) and the client's own two — no more, no fewer.
import type { ErrorCode } from '../../../src/shared/error-codes.ts';
import type { RejectionCode } from '../../../src/domain/rejection.ts';

type Words = { zh: string; en: string };
/** Codes the web app makes up itself: no answer at all, or a 401 without a problem body. */
type ClientCode = 'network' | 'unauthorized';
export type MessageCode = ErrorCode | RejectionCode | ClientCode;

const FIELD: Record<string, Words> = {
  'customer.phone': { zh: '手机号', en: 'phone number' },
  phone: { zh: '手机号', en: 'phone number' },
  'customer.name': { zh: '客户姓名', en: 'customer name' },
  receivedBy: { zh: '接待顾问', en: 'receiving consultant' },
  name: { zh: '姓名', en: 'name' },
  expectedAt: { zh: '预计到访时间', en: 'expected arrival' },
  at: { zh: '时间', en: 'time' },
  effectiveAt: { zh: '生效时间', en: 'effective date' },
  reason: { zh: '理由', en: 'reason' },
  lateReason: { zh: '补登原因', en: 'reason for the late registration' },
  owner: { zh: '归属顾问', en: 'owner' },
  username: { zh: '用户名', en: 'user name' },
  password: { zh: '密码', en: 'password' },
};

export const MESSAGES: Record<MessageCode, Words> = {
  // transport and session
  network: { zh: '连不上服务器，请检查网络后再试。', en: 'Cannot reach the server. Check the network and try again.' },
  unauthorized: { zh: '请先登录。', en: 'Please sign in.' },
  forbidden: { zh: '您的账号没有这项操作的权限，请联系案场经理。', en: 'Your account may not do this. Ask the sales manager.' },
  unauthenticated: { zh: '请先登录。', en: 'Please sign in.' },
  'bad-credentials': { zh: '用户名或密码不对，请再试一次。', en: 'Wrong user name or password.' },
  'login-locked': { zh: '密码错误次数过多，账号已暂时锁定，请稍后再试。', en: 'Too many wrong passwords: the account is locked for a while.' },
  'login-throttled': { zh: '这台设备登录尝试太频繁，请稍等一分钟再试。', en: 'Too many sign-in attempts from this device; wait a minute.' },
  'rate-limited': { zh: '查询太频繁，请稍等一分钟再试。', en: 'Too many lookups; wait a minute.' },
  'not-in-project': { zh: '您在这个案场没有权限，请联系案场经理。', en: 'You have no role in this office. Ask the sales manager.' },
  'grant-required': { zh: '查看以往登记需要案场经理授权。', en: 'Reading past registers needs a manager’s grant.' },
  'manager-required': { zh: '裁决和更正只能由案场经理做。', en: 'Only a sales manager may rule or correct.' },
  'reason-required': { zh: '裁决和更正须写明理由。', en: 'A ruling or correction needs a reason.' },
  'admin-required': { zh: '这项操作只能由系统管理员做。', en: 'Only the administrator may do this.' },
  'not-your-customer': { zh: '这不是您的客户，不能查看或操作。', en: 'This is not your customer.' },
  'not-your-report': { zh: '这不是您的报备。', en: 'This is not your report.' },
  'not-your-deal': { zh: '您没有参与这笔成交。', en: 'You take no part in this deal.' },
  'csrf': { zh: '页面已过期，请刷新后再试。', en: 'The page is out of date. Reload and try again.' },
  // time of record (docs/api.md)
  'at-in-future': { zh: '不能登记未来的时间：事件时间以服务器时间为准。', en: 'An event cannot be dated in the future: the server’s clock dates events.' },
  'at-outside-window': { zh: '事件时间以服务器时间为准，只能登记刚刚发生的事；补登请找案场经理。', en: 'Events are dated by the server’s clock; to register a past event, ask the sales manager.' },
  'late-reason-required': { zh: '补登以往的事件须填写补登原因。', en: 'Registering a past event needs a reason.' },
  // request shape (docs/api.md)
  'invalid-field': { zh: '{field}填写有误，请检查。', en: 'Please check the {field}.' },
  'missing-field': { zh: '请填写{field}。', en: 'Please fill in the {field}.' },
  'unknown-field': { zh: '表单里有系统不认识的内容，请刷新页面后再试。', en: 'The form sent something unexpected. Reload and try again.' },
  'invalid-time': { zh: '{field}不是有效的时间。', en: 'The {field} is not a valid time.' },
  'invalid-phone': { zh: '手机号不对：请输入11位大陆手机号（如 138 0013 8000）。', en: 'Not a valid mainland mobile number (11 digits, e.g. 138 0013 8000).' },
  'invalid-policy': { zh: '规则参数有误：{field}。', en: 'A policy parameter is invalid: {field}.' },
  'unknown-preset': { zh: '没有这个制度模板。', en: 'There is no such rulebook preset.' },
  'malformed-json': { zh: '提交的内容无法读取，请刷新后再试。', en: 'The request could not be read. Reload and try again.' },
  'empty-body': { zh: '提交的内容是空的，请填写后再试。', en: 'Nothing was sent. Fill in the form and try again.' },
  'body-too-large': { zh: '文件或内容太大。', en: 'The file or content is too large.' },
  'unsupported-media-type': { zh: '不支持的文件格式。', en: 'Unsupported file type.' },
  'bad-request': { zh: '请求有误，请刷新后再试。', en: 'Bad request. Reload and try again.' },
  'bad-url': { zh: '地址有误。', en: 'Bad address.' },
  'bad-content-length': { zh: '请求有误，请刷新后再试。', en: 'Bad request. Reload and try again.' },
  'headers-too-large': { zh: '请求太大，请刷新后再试；如果一直这样，请清除本站的浏览器数据。', en: 'The request is too large. Reload; if it persists, clear this site’s browser data.' },
  'request-timeout': { zh: '请求超时，请再试一次。', en: 'The request timed out. Try again.' },
  'bad-day': { zh: '日期有误（格式为 年-月-日）。', en: 'Bad date (YYYY-MM-DD).' },
  'day-and-seq': { zh: '请只给日期或序号其中之一。', en: 'Give either a day or a sequence number, not both.' },
  'project-not-found': { zh: '找不到这个案场。', en: 'This sales office does not exist.' },
  'event-not-found': { zh: '找不到这条登记。', en: 'This registration does not exist.' },
  'deal-not-found': { zh: '找不到这笔成交。', en: 'This deal does not exist.' },
  'report-not-found': { zh: '找不到这条报备。', en: 'This report does not exist.' },
  'customer-not-found': { zh: '找不到这位客户。', en: 'This customer does not exist.' },
  'grant-not-found': { zh: '找不到这项授权。', en: 'This grant does not exist.' },
  'user-not-found': { zh: '找不到这个账号。', en: 'This account does not exist.' },
  'seq-beyond-head': { zh: '登记序号超出了现有的记录。', en: 'No record at that sequence number yet.' },
  'not-found': { zh: '找不到要找的内容。', en: 'Not found.' },
  'project-exists': { zh: '这个案场已经存在。', en: 'This sales office already exists.' },
  'user-exists': { zh: '这个用户名已经有人用了。', en: 'This user name is taken.' },
  'staff-linked': { zh: '这位同事已经关联了别的账号。', en: 'This colleague is already linked to another account.' },
  'demo-refused': { zh: '服务器上已有案场，不能再载入演示数据。', en: 'This server already has offices; the demo cannot be loaded.' },
  'idempotency-conflict': { zh: '这条登记已经提交过，内容不同。请刷新后再试。', en: 'This registration was already sent with other content. Reload and try again.' },
  busy: { zh: '系统正忙，请几秒后再试。', en: 'The system is busy; try again in a few seconds.' },
  'storage-full': { zh: '服务器磁盘已满，这条登记没有保存。请联系管理员清理空间后再试。', en: 'The server’s disk is full; nothing was saved. Ask the administrator to free space, then try again.' },
  'unstorable-value': { zh: '这条登记里有系统无法保存的内容，请检查后再试。', en: 'This registration holds something the system cannot store. Check it and try again.' },
  'corrupt-project': { zh: '这个案场的数据不完整，请联系管理员。', en: 'This office’s data is incomplete. Tell the administrator.' },
  internal: { zh: '系统出了点问题，请稍后再试；如果一直这样，请联系管理员。', en: 'Something went wrong. Try again later, or tell the administrator.' },
  // the engine's refusals (src/domain/rejection.ts)
  'duplicate-report': { zh: '该客户已被报备且仍在有效期内，不能重复报备。', en: 'This customer is already reported and the report is still valid.' },
  'report-after-visit': { zh: '客户已先到访过案场，报备无效。', en: 'The customer already visited the office; the report does not count.' },
  'report-public': { zh: '该客户多次报备失效，已转为公号，不能再报备。', en: 'Too many lapsed reports: the customer is now a public lead.' },
  'report-expected-too-late': { zh: '预计到访时间超出报备有效期，请改早一些。', en: 'The expected arrival is beyond the report’s validity.' },
  'staff-left': { zh: '该同事已离职。', en: 'This colleague has left.' },
  'unknown-staff': { zh: '系统里没有这位同事。', en: 'No such colleague.' },
  'unknown-customer': { zh: '系统里没有这位客户的登记。', en: 'No record of this customer.' },
  'unknown-deal': { zh: '系统里没有这笔成交。', en: 'No such deal.' },
  'unknown-event': { zh: '系统里没有这条登记。', en: 'No such registration.' },
  'unit-taken': { zh: '该房号已被他人认购。', en: 'This unit is already taken.' },
  'deal-cancelled': { zh: '这笔成交已退订，不能再办理。', en: 'This deal was cancelled; no further step is possible.' },
  'not-manager': { zh: '只有案场经理可以做这项操作。', en: 'Only a sales manager may do this.' },
  'not-allowed': { zh: '制度不允许这项操作。', en: 'The policy does not allow this.' },
  'duplicate-id': { zh: '这条登记已经提交过。', en: 'This registration was already recorded.' },
};

/** The words for a code, or undefined for one not listed (a server newer than this page). */
const wordsFor = (code: string): Words | undefined => (MESSAGES as Record<string, Words | undefined>)[code];

export function messageFor(code: string, lang: 'zh' | 'en', field?: string): string {
  const m = wordsFor(code) ?? (code.startsWith('report-') || code.startsWith('unknown-') ? MESSAGES['not-allowed'] : MESSAGES[code.includes('auth') ? 'unauthorized' : 'bad-request']);
  const f = field ? (FIELD[field] ?? FIELD[field.split('.').at(-1) ?? ''] ?? { zh: '内容', en: 'entry' }) : { zh: '内容', en: 'entry' };
  return m[lang].replace('{field}', f[lang]);
}

/** A refused event's rejection (status 201, rejected) in words. */
export function rejectionText(r: { code: string; field?: string; messageZh?: string; messageEn?: string } | undefined, lang: 'zh' | 'en'): string {
  if (!r) return '';
  // The words name the field the engine refused ({field}: 请填写客户姓名。).
  return wordsFor(r.code) ? messageFor(r.code, lang, r.field) : (lang === 'zh' ? r.messageZh : r.messageEn) ?? messageFor('not-allowed', lang);
}
