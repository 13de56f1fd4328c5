// Word pools for the simulator: names, agencies, places, units. Surnames are
// weighted roughly by how common they are (王李张刘陈 first).
import type { Random } from './random.ts';

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
  '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '万', '钱', '严', '覃', '武', '戴', '莫', '孔', '向', '汤',
  '欧阳', '司马', '诸葛',
] as const;

/** Heavier weight for the most common surnames: index i has weight ~ 1/(i+8). */
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 8));

export const GIVEN_MALE = [
  '伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '斌', '宇',
  '浩', '凯', '健', '俊', '帆', '志远', '建华', '建国', '晓东', '文博', '思远', '浩然', '梓轩', '俊杰', '子豪', '宇航',
  '国强', '海波', '家豪', '志强', '明辉', '振华', '天佑', '一鸣', '博文', '嘉懿', '昊天', '立新', '永庆', '德明',
] as const;

export const GIVEN_FEMALE = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '婷', '雪', '琳', '欣', '颖', '倩', '莉', '萍', '燕', '玲', '慧', '洁',
  '秀英', '桂英', '海燕', '晓燕', '佳怡', '欣怡', '雨萱', '子涵', '梦琪', '诗涵', '思琪', '雅静', '美玲', '丽娟', '春梅',
  '玉兰', '秀兰', '婉清', '若曦', '语嫣', '晓丽', '凤英', '淑珍', '慧敏', '佳琪',
] as const;

export const AGENCIES = [
  '恒信房产经纪', '链家地产', '我爱我家', '中原地产', '安居客合作渠道', '鑫源置业顾问', '德佑房产', '21世纪不动产',
  '太平洋房屋', '满堂红地产', '家和置业', '盛世行房产', '万家好房', '金地置换', '易居房友',
] as const;

export const TEAMS = ['一组', '二组', '三组', '四组', '五组', '六组', '七组', '八组', '九组', '十组'] as const;

export const OUTREACH_PLACES = [
  '万达广场中庭', '地铁站B出口', '市人民医院门口', '科技园写字楼大堂', '华润万家超市', '高铁站候车厅', '银泰城',
  '大学城商业街', '市政务中心', '工业园区食堂', '老城区菜市场', '体育中心',
] as const;

export const OUTREACH_COMPANIES = [
  '华为技术有限公司', '市第一中学', '国家电网供电公司', '中国银行支行', '市中心医院', '比亚迪汽车', '顺丰速运',
  '腾讯科技', '市税务局', '美的集团',
] as const;

export const SECTORS = ['IT', '教育', '医疗', '金融', '制造业', '物流', '公务员', '个体经营', '能源'] as const;

export const CAMPAIGNS = [
  '周末暖场活动：亲子DIY', '样板间开放日', '老带新答谢会', '教师节购房专场', '清凉一夏冰淇淋节', '中秋团圆品鉴会',
  '国庆特惠认购日', '业主答谢会', '音乐下午茶', '新春团拜送福字',
] as const;

export const RULING_REASONS = [
  '双方均有接待记录，经案场经理核实来访登记后裁定',
  '客户明确表示由原顾问服务，经理裁定归属原顾问',
  '来电与来访记录冲突，以首次有效登记为准',
  '渠道报备与自然来访争议，经理协调后裁定',
] as const;

export type Gender = 'm' | 'f';

export function surname(rng: Random): string {
  return SURNAMES[rng.weighted(SURNAME_WEIGHTS)]!;
}

export function fullName(rng: Random, gender: Gender): string {
  return surname(rng) + rng.pick(gender === 'm' ? GIVEN_MALE : GIVEN_FEMALE);
}

/** How front desks write a customer down: 王先生 / 李女士 most of the time, a full name otherwise. */
export function customerName(rng: Random, gender: Gender): string {
  if (rng.chance(0.55)) return surname(rng) + (gender === 'm' ? '先生' : '女士');
  return fullName(rng, gender);
}
