// The policy editor in words: every parameter, every field of a parameter's
// value and every option of the policy schema (src/domain/policy/schema.ts)
// gets a Chinese label and a one-line explanation, with English for the
// English mode — so a manager never reads `last_in_rotation` or
// `performance_owner_commission_5_5`. Keys:
//   parameter          `absent_owner_receiver`
//   field of a value   `call_protection_days.ownership`, `channel_report_rules.masked_phone.first`
//   option             `absent_owner_receiver=last_in_rotation`, `call_protection_days.ownership=always`,
//                      `registration_required_fields=name` (an option of a list)
// policy-labels.unit.test.ts walks the schema and fails on any parameter, field
// or option without a label here (and on a label for something the schema no
// longer has), so a new option cannot ship raw.

export interface Words { zh: string; en: string }
export interface Label extends Words {
  /** One line: what it decides, or what choosing it does. */
  hint: Words;
}

const L = (zh: string, en: string, hintZh: string, hintEn: string): Label => ({ zh, en, hint: { zh: hintZh, en: hintEn } });

export const PARAMETER_LABELS: Record<string, Label> = {
  visit_protection_days: L('到访客户保护期（天）', 'Visit protection (days)', '顾问接待后保有客户的天数；勾选“不限/未规定”即不限期，以首次登记为准。', 'How many days a reception keeps the customer with the consultant; no limit: the first registration decides for good.'),
  call_protection_days: L('来电客户归属与保护期', 'Calls: ownership and protection', '来电（电话咨询）能否让接听顾问拥有客户，以及保有多久。', 'Whether a phone enquiry makes the consultant who took it the owner, and for how long.'),
  follow_up_max_gap_days: L('跟进间隔与续期', 'Follow-up gaps and renewal', '多久不跟进就失去客户，以及有效跟进是否重新计算保护期。', 'How long without a follow-up before the customer is lost, and whether an effective contact restarts protection.'),
  lapse_effect: L('保护期失效后', 'When protection runs out', '客户保护期过了以后归谁。', 'Whose the customer is once their protection has run out.'),
  referral_window_days: L('老带新（转介）归属', 'Referrals (老带新)', '老客户介绍来的新客户归谁、条件和期限。', 'Whose a customer an old customer introduces is, on what condition and for how long.'),
  absent_owner_receiver: L('原顾问不在时由谁接待', 'Who receives when the owner is away', '老客户来访而原顾问不在场时，由哪位同事代为接待。', 'Which colleague receives a returning customer whose consultant is not there.'),
  helper_counts_as_rotation_turn: L('代接待是否占轮次', 'Standing in uses a turn', '替不在场的同事接待其客户，是否算作自己的一次轮排。', 'Whether receiving an absent colleague’s customer counts as one’s rotation turn.'),
  absent_owner_credit: L('代接待成交的业绩与佣金', 'Credit when a stand-in closes', '原顾问不在、由同事代接待并成交时，业绩和佣金怎么分。', 'How performance and commission are split when a stand-in closes for an absent owner.'),
  split_ratios: L('分成比例', 'Split ratios', '各种分成情形下两方的比例（十分制，如 5:5、7:3）。', 'The two sides’ shares in each shared case, in tenths (5:5, 7:3).'),
  returning_unrecognized_outcome: L('老客户未被认出', 'A returning customer not recognised', '老客户再来却说第一次来、或没被认出时，归谁。', 'Whose a returning customer is who says it is their first visit, or is not recognised.'),
  family_cross_rule: L('一家人由不同顾问接待', 'One household, two consultants', '夫妻、父母子女等分别由不同顾问接待后成交时，业绩归谁。', 'Who gets the credit when members of one household were received by different consultants.'),
  call_vs_visit_precedence: L('来电与到访谁在先', 'A call and a visit compete', '同一客户既有来电又有到访，由不同顾问登记时谁优先。', 'Which comes first when one customer both called and visited, registered by different consultants.'),
  daily_cutoff_and_deadlines: L('每日截止与轮排延续', 'Daily cut-off and the rotation', '每天几点后的登记算次日、轮排次日是否接着排，以及当日相关的期限。', 'After what time a registration counts for the next day, whether the rotation carries over, and same-day deadlines.'),
  channel_report_rules: L('渠道报备规则', 'Channel reports (报备)', '渠道报备的有效期、隐号格式、必填项，以及与带客、同行的关系。', 'A channel report’s validity, phone mask, required fields, and how it meets escorts and parties.'),
  own_customer_at_own_turn: L('轮到自己时接待老客户', 'Own customer at one’s own turn', '轮到某顾问时恰好是他自己的老客户来访，这一轮是否补回。', 'Whether a consultant who serves their own customer when their turn comes gets the turn back.'),
  skipped_turn_make_up: L('错过轮次的补接', 'Make-up turns for missed turns', '因私、因公外出错过轮次时，补接几次。', 'How many make-up turns a consultant gets for a turn missed on personal or company business.'),
  complaint_outcome: L('客户投诉后的归属', 'After a complaint', '客户投诉顾问后，客户与业绩、佣金如何处理。', 'What happens to the customer and the credit after a complaint against their consultant.'),
  staff_relative_priority: L('员工亲友优先', 'Staff relatives and friends', '顾问自己的亲友来访时是否归该顾问，以及条件。', 'Whether a consultant’s own relative or friend is theirs, and on what condition.'),
  registration_required_fields: L('登记必填项', 'Required registration fields', '到访登记必须填写的内容；缺少时登记不成功。', 'What a visit registration must include; without it the registration is refused.'),
  penalties: L('处罚条款', 'Penalties', '制度规定的处罚（仅作记录，系统不自动执行）。', 'Sanctions the rulebook states (recorded for reference; the system does not apply them).'),
  first_question_set: L('前台首问内容', 'What the front desk asks', '前台接待时须先问客户的问题，到访表单据此显示。', 'The questions the front desk asks an arriving customer; the arrival form shows them.'),
  departed_staff: L('离职顾问的客户', 'A departed consultant’s customers', '顾问离职后，其未成交客户的去向。', 'Where a departed consultant’s customers without a deal go.'),
  designation: L('客户指定顾问', 'A customer names a consultant', '新客户点名某位顾问时，是否归该顾问、是否占其轮次。', 'Whether a new customer who names a consultant is theirs, and whether it uses that consultant’s turn.'),
};

export const FIELD_LABELS: Record<string, Label> = {
  'call_protection_days.ownership': L('来电是否产生归属', 'A call makes an owner', '来电登记后客户是否归接听的顾问。', 'Whether a registered call makes the consultant who took it the owner.'),
  'call_protection_days.days': L('来电保护期（天）', 'Call protection (days)', '仅有来电时保有客户的天数；不限则不过期。', 'Days a call alone keeps the customer; no limit: it does not expire.'),
  'call_protection_days.directions_call_owns': L('问路电话也算归属', 'A directions call owns', '客户来电问路后直接过来，是否归接电话的顾问（关闭则到访时按新客户）。', 'Whether a caller asking the way who comes straight over is the call-taker’s (off: new on arrival).'),
  'follow_up_max_gap_days.visit': L('到访客户最长跟进间隔（天）', 'Longest gap for visitors (days)', '到访客户超过这些天没有跟进记录即失去保护。', 'A visitor with no follow-up for this many days loses protection.'),
  'follow_up_max_gap_days.call': L('来电客户最长跟进间隔（天）', 'Longest gap for callers (days)', '只来过电话的客户超过这些天没有回访即失去保护。', 'A caller not called back for this many days loses protection.'),
  'follow_up_max_gap_days.first_callback_due_days': L('首次回访期限（天）', 'First callback due (days)', '首次到访后须在几天内回访，否则失去客户。', 'Days after the first visit by which the first callback is due, or the customer is lost.'),
  'follow_up_max_gap_days.renews_protection': L('有效跟进续保护期', 'Follow-up renews protection', '有效联系后保护期从当天重新计算。', 'An effective contact restarts the protection period from that day.'),
  'referral_window_days.rule': L('老带新判定方式', 'Referral rule', '被介绍的新客户在什么条件下归老客户的顾问。', 'On what condition a referred customer belongs to the referrer’s consultant.'),
  'referral_window_days.window_days': L('老带新有效期（天）', 'Referral window (days)', '介绍后多少天内到访才归老客户的顾问。', 'Days after the introduction within which the visit counts for the referrer’s consultant.'),
  'referral_window_days.named_counts_as_turn': L('点名接待占轮次', 'Naming uses a turn', '被介绍客户单独来访并点名顾问时，是否占该顾问的轮次。', 'Whether a referred customer alone naming a consultant uses that consultant’s turn.'),
  'referral_window_days.accompanied_counts_as_turn': L('老客户陪同占轮次', 'Accompanied uses a turn', '老客户陪同新客户来访时，是否占原顾问的轮次。', 'Whether an old customer bringing a new one uses the original consultant’s turn.'),
  'daily_cutoff_and_deadlines.daily_cutoff': L('每日截止时间', 'Daily cut-off', '此时间以后的登记计入次日（如 18:00）；不设则以零点为界。', 'Registrations after this time count for the next day (e.g. 18:00); none: midnight.'),
  'daily_cutoff_and_deadlines.rotation_carry_over': L('轮排次日接续', 'Rotation carries over', '次日从前一天停下的位置继续排（关闭则每天从排首开始）。', 'The next day continues from where the queue stopped (off: each day restarts at the head).'),
  'daily_cutoff_and_deadlines.split_only_if_deal_same_day': L('当日成交才分佣', 'Split only on the same day', '代接待的佣金平分只适用于当天成交；之后成交全归原顾问。', 'A stand-in shares commission only for a deal the same day; later deals are the owner’s.'),
  'daily_cutoff_and_deadlines.event_day_identification': L('活动当日认定', 'Identified on the event day', '营销活动中他人的客户，须当天认出才分享。', 'At a marketing event, another’s customer is shared only if identified that day.'),
  'channel_report_rules.validity_days': L('报备有效期（天）', 'Report validity (days)', '报备后多少天内到访有效（含当天起算的第 N 天）。', 'Days after filing within which a visit counts (through day N).'),
  'channel_report_rules.max_consecutive_reports': L('连续报备上限', 'Consecutive reports allowed', '连续这么多次报备未到访后，客户转为公号，不再接受报备。', 'After this many lapsed reports in a row the customer is a public lead and no report is taken.'),
  'channel_report_rules.masked_phone': L('隐号格式', 'Masked phone shape', '报备可用隐号时须显示的前几位、后几位；不设则完整号码或任意隐号均可。', 'The leading and trailing digits a masked report must show; none: a full number or any mask.'),
  'channel_report_rules.masked_phone.first': L('显示前几位', 'Leading digits shown', '隐号须显示的开头位数（如前三）。', 'Digits shown at the start (e.g. the first 3).'),
  'channel_report_rules.masked_phone.last': L('显示后几位', 'Trailing digits shown', '隐号须显示的末尾位数（如后五）。', 'Digits shown at the end (e.g. the last 5).'),
  'channel_report_rules.report_beats_escort': L('报备优先于带客', 'The report beats the escort', '已有他人报备时，亲自带客上门的渠道不能取得客户。', 'With another’s report on file, an agent escorting the customer in person does not get them.'),
  'channel_report_rules.require_name_and_time': L('须填姓名与到访时间', 'Name and time required', '报备须写客户姓名（或姓）和预计到访时间；隐号报备须姓名相符才算该客户。', 'A report needs the name (or surname) and the expected time; a masked report counts only if the name agrees.'),
  'channel_report_rules.party_follows_reporter': L('同行人随报备渠道', 'The party follows the reporter', '被报备客户的同行人也归报备的渠道。', 'The companions of a reported customer belong to the reporting agent too.'),
  'channel_report_rules.outreach_form_required': L('外拓登记须填地址与企业', 'Outreach form required', '外拓登记须写明地址、企业名和客户姓名。', 'An outreach registration needs the place, the company and the customer’s name.'),
  'skipped_turn_make_up.personal': L('因私错过补接次数', 'Make-ups: personal', '因私事错过轮次后补接的次数。', 'Make-up turns for a turn missed on personal business.'),
  'skipped_turn_make_up.business': L('因公错过补接次数', 'Make-ups: company business', '因公外出错过轮次后补接的次数。', 'Make-up turns for a turn missed on company business.'),
  'split_ratios.absent_owner_commission': L('代接待佣金（原顾问 : 代接待）', 'Stand-in commission (owner : helper)', '原顾问不在、同事代接待成交时的佣金比例。', 'Commission between the absent owner and the stand-in who closed.'),
  'split_ratios.cooperative_performance': L('合作业绩（原顾问 : 新顾问）', 'Shared performance (original : new)', '合作接待、活动日、电话邀约等共享时的业绩比例。', 'Performance between the original and the new consultant when credit is shared.'),
  'split_ratios.complaint_commission': L('投诉后佣金（接手 : 原顾问）', 'After a complaint (serving : original)', '投诉改派后成交时，接手顾问与原顾问的佣金比例。', 'Commission between the serving and the original consultant after a complaint.'),
  'split_ratios.complaint_referral_commission': L('投诉后转介佣金（接手 : 原顾问）', 'Later referrals (serving : original)', '改派客户之后介绍来的客户，接手与原顾问的佣金比例。', 'Commission on later referrals of a reassigned customer.'),
  'split_ratios.family_cross': L('一家人两位顾问（先 : 后）', 'One household (first : second)', '一家人由两位顾问接待时两人的业绩比例。', 'Performance between the two consultants of one household.'),
  'designation.new_customer_naming': L('点名顾问的效力', 'What naming does', '新客户点名某位顾问时如何处理。', 'What happens when a new customer names a consultant.'),
  'designation.counts_as_turn': L('点名接待占轮次', 'Naming uses a turn', '接待点名自己的新客户是否占自己的轮次。', 'Whether receiving a customer who named you uses your turn.'),
};

export const OPTION_LABELS: Record<string, Label> = {
  'call_protection_days.ownership=always': L('来电即归属', 'Always', '登记来电即归接听顾问。', 'A registered call makes the owner.'),
  'call_protection_days.ownership=appointment': L('约定到访才归属', 'With an appointment', '只有约好具体到访时间的来电才归接听顾问。', 'Only a call with a concrete appointment makes the owner.'),
  'call_protection_days.ownership=never': L('来电不产生归属', 'Never', '来电只作记录，到访时按轮排。', 'Calls are recorded only; the visit goes by the rotation.'),

  'lapse_effect=new_customer': L('按新客户处理', 'A new customer', '失效后客户视为新客户，下一位接待或联系的顾问取得。', 'The customer counts as new: the next consultant to receive or contact them takes them.'),
  'lapse_effect=developing_rep': L('归继续跟进的顾问', 'The consultant who develops them', '失效后谁先有效跟进，客户归谁。', 'Whoever follows the customer up effectively first takes them.'),
  'lapse_effect=credit_only_if_other_closes': L('他人成交才失去', 'Lost only if another closes', '客户仍回到原顾问，只有别人成交时原顾问才失去业绩。', 'The customer returns to the owner, who loses the credit only if another closes.'),

  'referral_window_days.rule=chain': L('链式介绍', 'Down the chain', '归介绍人的顾问（可层层追溯），须点名、陪同或先登记介绍。', 'The referrer’s consultant, down the chain, if named, accompanied or introduced first.'),
  'referral_window_days.rule=named_or_accompanied': L('陪同或点名', 'Accompanied or named', '老客户陪同或新客户点名时归原顾问，否则按轮排。', 'The referrer’s consultant if accompanied or named; otherwise the rotation.'),
  'referral_window_days.rule=window': L('限期内有效', 'Within a window', '介绍后在有效期内到访归原顾问，过期由接待者取得。', 'The referrer’s consultant within the window; after it, whoever receives.'),
  'referral_window_days.rule=no_prior_contact': L('此前无接触', 'No prior contact', '新客户此前与其他顾问没有接触时，才归介绍人的顾问。', 'The referrer’s consultant unless the newcomer already had contact with someone.'),
  'referral_window_days.rule=deal_day_recognition': L('成交日前认出', 'Recognised by the deal day', '按轮排接待；成交日前被认出是介绍的，业绩归回原顾问。', 'The rotation receives; the credit returns to the referrer’s consultant if recognised by the deal day.'),

  'absent_owner_receiver=last_in_rotation': L('轮排最后一位', 'Last in the rotation', '由当天轮排的最后一位代接待，不影响前面同事的轮次。', 'The last consultant of the day’s rotation stands in.'),
  'absent_owner_receiver=last_in_rotation_if_notified': L('事先告知则轮排最后一位', 'Last in rotation, if notified', '原顾问事先登记了预约，由轮排最后一位代接待；否则按轮排。', 'If the owner registered the appointment, the last in rotation stands in; otherwise the rotation.'),
  'absent_owner_receiver=first_in_queue': L('轮排第一位', 'First in the queue', '由当前排在第一位的顾问代接待。', 'The consultant first in the queue stands in.'),
  'absent_owner_receiver=on_rotation_rep': L('当轮顾问', 'The consultant up now', '由正轮到的顾问代接待。', 'The consultant whose turn it is stands in.'),
  'absent_owner_receiver=same_team_colleague_then_other_team': L('同组同事优先', 'Same team first', '先由原顾问同组的同事代接待，没有再由其他组。', 'A colleague of the owner’s team, else one of another team.'),
  'absent_owner_receiver=on_duty_person': L('值班人员', 'The person on duty', '由当班人员代接待。', 'The person on duty stands in.'),
  'absent_owner_receiver=whoever_is_receiving_any_colleague': L('任一在场同事', 'Any colleague present', '任一在场同事都可代接待。', 'Any colleague present may stand in.'),

  'absent_owner_credit=owner_100_helper_0': L('全归原顾问', 'All to the owner', '业绩和佣金全归原顾问，代接待者不分。', 'Performance and commission all to the owner; the stand-in gets nothing.'),
  'absent_owner_credit=performance_owner_commission_5_5': L('业绩归原顾问，佣金平分', 'Performance to owner, commission shared', '业绩归原顾问；佣金按分成比例两人分（当日成交）。', 'Performance to the owner; commission shared by the split ratio (a same-day deal).'),
  'absent_owner_credit=performance_helper_commission_5_5': L('业绩归代接待者，佣金平分', 'Performance to helper, commission shared', '业绩归代接待并成交的同事；佣金两人分。', 'Performance to the stand-in who closed; commission shared.'),
  'absent_owner_credit=performance_5_5': L('业绩平分', 'Performance shared', '业绩按比例两人分。', 'Performance shared between the two.'),
  'absent_owner_credit=team_decides': L('团队商定', 'The team decides', '由团队（经理）决定，系统按原顾问记，待裁决。', 'The team (manager) decides; recorded for the owner until a ruling.'),
  'absent_owner_credit=helper_becomes_owner': L('代接待者取得客户', 'The stand-in takes the customer', '原顾问无正当理由不在时，客户归代接待的轮排顾问。', 'An owner away without a valid reason loses the customer to the rotation consultant.'),

  'returning_unrecognized_outcome=look_up_in_crm': L('以登记记录为准', 'The register decides', '按手机号查登记记录，老客户仍归原顾问。', 'Looked up by phone in the register: a returning customer stays with their consultant.'),
  'returning_unrecognized_outcome=new_consultant_gets_credit': L('归新接待顾问', 'The new consultant', '客户自称第一次来且原顾问未认出，归新接待的顾问（原顾问不在时合作分成）。', 'Says it is their first visit and is not recognised: the new consultant’s (shared if the original is away).'),
  'returning_unrecognized_outcome=original_within_1_month_else_second_receiver': L('一个月内归原顾问', 'Original within a month', '保护期（一个月）内发现仍归原顾问，超过则归第二次接待者。', 'The original’s if discovered within the month (the visit protection), else the second receiver’s.'),
  'returning_unrecognized_outcome=original_within_file_validity': L('建档有效期内归原顾问', 'Original while the file is valid', '说不清或说出多位顾问时按轮排接待，建档有效期内归原顾问。', 'Names several or none: the rotation receives, the owner keeps them while the file is valid.'),

  'family_cross_rule=performance_5_5': L('业绩平分', 'Performance shared', '两位顾问按比例平分业绩。', 'The two consultants share the performance.'),
  'family_cross_rule=performance_first_registrant_commission_5_5': L('业绩归先登记者，佣金平分', 'Performance to the first, commission shared', '业绩归先登记的顾问，佣金两人分。', 'Performance to the first to register; commission shared.'),
  'family_cross_rule=first_receiver_of_party': L('归同行首接顾问', 'The party’s first receiver', '一起来访的一家人归最先接待的顾问。', 'A household that came together belongs to whoever received them first.'),
  'family_cross_rule=kinship_priority': L('直系亲属首接优先', 'Closest relative first', '按亲属远近，最近的亲属先被谁接待就归谁。', 'The consultant who received the closest relative first.'),
  'family_cross_rule=owner_of_buyer': L('归购房人的顾问', 'The buyer’s consultant', '谁的客户买房就归谁，不分成。', 'The consultant of the buyer named first; no split.'),
  'family_cross_rule=whole_party_to_reporting_agent': L('整组归报备渠道', 'The whole party to the agent', '被报备客户的一家人都归报备渠道。', 'A reported customer’s household all belongs to the reporting agent.'),
  'family_cross_rule=team_decides': L('团队商定', 'The team decides', '由经理裁决。', 'The manager rules.'),
  'family_cross_rule=closer_wins': L('成交者取得', 'Whoever closes', '家庭中一位顾问成交，整家客户归成交者。', 'A household consultant who closes takes the whole household.'),

  'call_vs_visit_precedence=call_first_if_same_day': L('同日来电优先', 'The call, the same day', '同一天既来电又到访，来电登记的顾问优先。', 'On the same day, the consultant who registered the call comes first.'),
  'call_vs_visit_precedence=earliest_contact_either_channel': L('最早接触者', 'The earliest contact', '来电或到访，谁先接触归谁。', 'Whoever had the first contact, by call or visit.'),
  'call_vs_visit_precedence=visit_rotation_unless_appointment': L('无预约按轮排', 'The rotation, unless an appointment', '来电未约定到访时间的，到访按轮排。', 'A call without an appointment makes no claim: the visit goes by the rotation.'),

  'own_customer_at_own_turn=make_up': L('补回一次', 'One make-up turn', '轮到时接待自己的客户，下一位接新客，之后补回一次。', 'The next takes the new customer; one make-up turn later.'),
  'own_customer_at_own_turn=no_make_up': L('不补', 'No make-up', '轮到时接待自己的客户，这一轮不补。', 'No make-up for that turn.'),

  'complaint_outcome=designee_gets_all': L('全归指定顾问', 'All to the designee', '投诉后客户与业绩全归经理指定的顾问。', 'The customer and the credit go to the consultant the manager designates.'),
  'complaint_outcome=commission_shared_then_referral_split': L('佣金分成，之后转介另分', 'Commission shared, referrals split', '指定顾问接手，佣金按比例分；之后的转介按另一比例分。', 'The designee takes over, commission shared; later referrals by another ratio.'),
  'complaint_outcome=original_keeps_unless_service_fault': L('服务过错才转交', 'Moved only for a service fault', '服务过错转交指定顾问；其他投诉仍归原顾问。', 'A service fault moves the customer; otherwise the original keeps them.'),
  'complaint_outcome=agent_reassigned': L('改派渠道', 'Agent reassigned', '渠道客户被投诉，由小组经理改派其他渠道人员。', 'A channel customer’s complaint: the team manager reassigns another agent.'),

  'staff_relative_priority=if_first_contact_or_prior_record': L('事先登记才优先', 'If declared first', '在他人首次接触前登记过亲友关系的才归该顾问。', 'Theirs if the relation was declared before anyone else’s first contact.'),
  'staff_relative_priority=unconditional': L('无条件优先', 'Always', '顾问的亲友一律归该顾问。', 'A consultant’s relative or friend is always theirs.'),
  'staff_relative_priority=referral_beats_staff_relationship': L('老业主介绍优先', 'A buyer’s referral first', '老业主介绍的，优先于员工亲友关系。', 'A past buyer’s referral beats a staff relationship.'),
  'staff_relative_priority=none': L('不优先', 'No priority', '员工亲友按一般规则处理。', 'Staff relatives follow the ordinary rules.'),

  'registration_required_fields=name': L('客户姓名', 'Customer name', '登记须有客户姓名。', 'A registration needs the customer’s name.'),
  'registration_required_fields=phone': L('手机号', 'Phone', '登记须有手机号。', 'A registration needs the phone.'),

  'first_question_set=first_visit': L('是否第一次来', 'First visit?', '问客户是否第一次来。', 'Asks whether it is the customer’s first visit.'),
  'first_question_set=prior_receiver': L('之前谁接待', 'Who received you before?', '问之前由哪位顾问接待。', 'Asks who received them before.'),
  'first_question_set=relatives_visited': L('亲属是否来过', 'Relatives visited?', '问家人是否来过（一家人归原顾问）。', 'Asks whether a relative has visited (the family goes to their consultant).'),
  'first_question_set=phone_invited': L('是否电话邀约', 'Invited by phone?', '问是否有顾问打电话邀请。', 'Asks whether a consultant invited them by phone.'),
  'first_question_set=prior_contact': L('是否联系过', 'Contacted before?', '问之前是否与顾问联系过。', 'Asks whether they were in contact with a consultant before.'),
  'first_question_set=knows_a_rep': L('是否认识顾问', 'Knows a consultant?', '问是否认识这里的顾问。', 'Asks whether they know a consultant here.'),
  'first_question_set=received_flyer': L('是否看到宣传单', 'Saw a flyer?', '问是否看到宣传单（拓客来源）。', 'Asks whether they saw a flyer (an outreach source).'),
  'first_question_set=referred_by': L('是否老客户介绍', 'Referred by a customer?', '问是否由老客户介绍。', 'Asks whether an old customer referred them.'),

  'departed_staff=public_pool': L('转入公客池', 'To the public pool', '未下单客户转入部门公客池，由经理重新分配。', 'Customers without an order go to the pool for the manager to reassign.'),
  'departed_staff=not_stated': L('未规定', 'Not stated', '制度未规定，客户仍记在原顾问名下，待经理处理。', 'Not stated: the customers stay under the departed consultant until the manager acts.'),

  'designation.new_customer_naming=owns': L('归被点名顾问', 'The named consultant’s', '点名即归该顾问。', 'Naming a consultant makes the customer theirs.'),
  'designation.new_customer_naming=prior_contact_only': L('有接触记录才归', 'Only with prior contact', '被点名顾问此前与客户有接触记录才归他。', 'Theirs only if they had contact with the customer before.'),
  'designation.new_customer_naming=receives_only': L('只接待不归属', 'Receives only', '被点名顾问在场则接待，归属按一般规则。', 'The named consultant receives if there; ownership by the ordinary rules.'),
  'designation.new_customer_naming=referred_only': L('仅限老带新', 'Referred customers only', '只有被介绍的客户点名才有效。', 'Naming decides only for a referred customer.'),
  'designation.new_customer_naming=none': L('点名不起作用', 'Naming decides nothing', '点名不影响接待与归属。', 'Naming changes neither the reception nor the owner.'),
};

/** The rulebooks by id: the preset's own title (Chinese), and an English one. */
export const RULEBOOK_TITLES_EN: Record<string, string> = {
  'attribution-definition': 'Defining customer attribution',
  'callback-direct-kin': 'Attribution: callbacks and closest-relative first reception',
  'channel-sms-report': 'Outreach customer attribution (SMS reports)',
  'consultant-rotation-detail': 'Consultants’ attribution details',
  'devco-conduct-ch7': 'Developer sales conduct: customer attribution',
  'internal-jieding-06': 'Customer attribution rules (06)',
  'onsite-offsite-outreach': 'On-site and off-site attribution details',
  'reception-ab-split': 'Sales-office reception and attribution (A/B)',
  'resource-template-3month': 'Sales customer resources (three months)',
  'sales-dept-first-visit': 'Customer attribution by first-visit registration',
  'sales-dept1-rotation': 'Customer attribution (sales team 1)',
  'shenyang-multi-team': 'Sales customer attribution (Shenyang, several teams)',
  'site-draft-one-month': 'Sales-site attribution (draft)',
  standard: 'Standard (recommended)',
  'xx-site-mingyuan': 'Sales-office attribution confirmation (XX site)',
};

export const labelOf = (table: Record<string, Label>, key: string): Label | undefined => table[key];
