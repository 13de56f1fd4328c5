/**
 * Masked-phone lookup. Channel agents often report a customer as a masked
 * phone (138****8888, 138***88888). We store one key per masked report,
 * `prefix|hiddenCount|suffix` (e.g. `138|3|88888`), in report_masks; for a
 * full phone at the front desk we enumerate every key it could match and do an
 * indexed equality lookup (`mask_key IN (...)`), no LIKE scans.
 */

/** Characters accepted as a hidden digit. */
const MASK_CHARS = /[*＊xX×•●]/;

/**
 * Key of a masked phone, or null when it has no single run of hidden digits
 * (an unmasked phone, or several runs). Non-digit separators are dropped first.
 */
export function maskKey(masked: string): string | null {
  const s = [...masked].filter((ch) => /[0-9]/.test(ch) || MASK_CHARS.test(ch)).map((ch) => (MASK_CHARS.test(ch) ? '*' : ch)).join('');
  const m = /^([0-9]*)(\*+)([0-9]*)$/.exec(s);
  if (!m) return null;
  const [, prefix = '', stars = '', suffix = ''] = m;
  return `${prefix}|${stars.length}|${suffix}`;
}

/**
 * Every key a full phone matches: each split into visible prefix, a hidden
 * run of at least one digit, and visible suffix. An 11-digit phone gives 66.
 * `minVisible` drops masks that hide almost everything (they identify nobody).
 */
export function candidateMaskKeys(phone: string, minVisible = 0): string[] {
  const digits = phone.replace(/[^0-9]/g, '');
  const n = digits.length;
  const keys: string[] = [];
  for (let p = 0; p < n; p++) {
    for (let h = 1; p + h <= n; h++) {
      if (n - h < minVisible) continue;
      keys.push(`${digits.slice(0, p)}|${h}|${digits.slice(p + h)}`);
    }
  }
  return keys;
}
