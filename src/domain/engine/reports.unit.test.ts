import { describe, expect, it } from 'vitest';
import { namesAgree } from './reports.ts';

describe('a reported name and a customer name (channel-sms-report.2c)', () => {
  it('agree when one starts with the other, courtesy words aside', () => {
    for (const [a, b] of [['王', '王芳'], ['王女士', '王芳'], ['王芳', '王芳'], ['王芳', '王'], ['欧阳', '欧阳娜娜'], ['Li', 'li ming'], ['先生', '李明']]) expect(namesAgree(a!, b!), `${a} / ${b}`).toBe(true);
  });
  it('disagree on another surname or given name', () => {
    for (const [a, b] of [['王', '李明'], ['王女士', '汪芳'], ['王芳', '王兰'], ['Wang', 'Li']]) expect(namesAgree(a!, b!), `${a} / ${b}`).toBe(false);
  });
});
