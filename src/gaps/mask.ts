// Personal data in citizens' questions (phone numbers, CCCD / CMND numbers, e-mail addresses, other long numbers
// such as bank or social-insurance accounts) is replaced by a placeholder before a question is stored.

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Not inside a longer number: "1.000.000.000 đồng" is an amount, not a phone number starting "000".
const NOT_AFTER_NUMBER = '(?<![\\p{N}+][ .,-]?)';
const NOT_BEFORE_NUMBER = '(?![ .,-]?\\p{N})';
/** 12 digits (căn cước, CCCD), possibly in groups of three separated by spaces: "001 203 004 567". */
const CCCD = new RegExp(`${NOT_AFTER_NUMBER}\\d{3} ?\\d{3} ?\\d{3} ?\\d{3}${NOT_BEFORE_NUMBER}`, 'gu');
/** Vietnamese phone numbers: 0 or +84 / 84 then 8-10 digits, with spaces, dots or dashes between groups. */
const PHONE = new RegExp(`${NOT_AFTER_NUMBER}(?:\\+?84|0)(?:[ .-]?\\d){8,10}${NOT_BEFORE_NUMBER}`, 'gu');
/** 9 digits: the old identity card (CMND). */
const CMND = /(?<![\p{N}])\d{9}(?![\p{N}])/gu;
/** Any other run of 9 or more digits (accounts, social insurance numbers). */
const LONG_NUMBER = /(?<![\p{N}])\d{9,}(?![\p{N}])/gu;

export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(CCCD, '[số CCCD]')
    .replace(PHONE, '[số điện thoại]')
    .replace(CMND, '[số CMND]')
    .replace(LONG_NUMBER, '[số]');
}
