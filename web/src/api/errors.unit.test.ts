// A refusal in words names the field to fix: never a `{field}` placeholder.
import { describe, expect, it } from 'vitest';
import { messageFor, rejectionText } from './errors.ts';

describe('refusals in words', () => {
  it('fills {field} with the field in words', () => {
    expect(rejectionText({ code: 'missing-field', field: 'customer.name', messageZh: '登记缺少客户姓名', messageEn: 'the registration has no customer name' }, 'zh')).toBe('请填写客户姓名。');
    expect(rejectionText({ code: 'missing-field', field: 'customer.name' }, 'en')).toBe('Please fill in the customer name.');
    expect(rejectionText({ code: 'missing-field', field: 'receivedBy' }, 'zh')).toBe('请填写接待顾问。');
    expect(rejectionText({ code: 'invalid-field', field: 'customer.phone' }, 'zh')).toBe('手机号填写有误，请检查。');
  });
  it('says "内容" for a field it has no words for, and never shows the placeholder', () => {
    expect(rejectionText({ code: 'missing-field', field: 'something.new' }, 'zh')).toBe('请填写内容。');
    expect(rejectionText({ code: 'missing-field' }, 'zh')).not.toContain('{field}');
    expect(messageFor('missing-field', 'en')).not.toContain('{field}');
  });
  it('words without a placeholder stay as they are', () => {
    expect(rejectionText({ code: 'duplicate-report', field: 'customer.phone' }, 'zh')).toBe('该客户已被报备且仍在有效期内，不能重复报备。');
  });
});
