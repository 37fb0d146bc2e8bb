import type { TransferLetter } from '@rongjian/shared/api';
import { sql, type Transaction } from 'kysely';
import { todayInChina } from '../../platform/calendar/calendar.rules.ts';
import type { DB } from '../../platform/db/schema.ts';
import { platformInfo } from '../../platform/settings/settings.builtin.ts';
import { type ClueRow, registerClueHooks } from './clues.hooks.ts';

/** How much of the clue's text the letter quotes (the receiving agency asks for the file if it needs more). */
const SUMMARY_MAX = 500;

async function nextLetterNumber(tx: Transaction<DB>, year: number): Promise<string> {
  const row = await tx
    .insertInto('clue_transfer_counter')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`clue_transfer_counter.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `ZB${year}${String(row.last).padStart(5, '0')}`;
}

/**
 * The letter's summary: the clue's facts, never the complainant's or informant's identity (the letter leaves the
 * bureau; the receiving agency asks for contact details through official channels). A confidential informant's
 * report says so.
 */
export function letterSummary(
  clue: Pick<ClueRow, 'title' | 'content' | 'respondent_name' | 'kind' | 'confidential'>,
): string {
  const text = clue.content.replace(/\s+/g, ' ').trim();
  const body = text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX)}…` : text;
  const parts = [
    clue.respondent_name ? `被投诉（举报）对象：${clue.respondent_name}。` : '',
    `主要内容：${body}`,
  ];
  if (clue.kind === 'report' && clue.confidential) parts.push('（举报人要求对其身份保密，请依法保密。）');
  return parts.filter(Boolean).join('');
}

registerClueHooks({
  name: 'transfer',
  actions: {
    async transfer(tx, ctx, { clue, input, actor }) {
      const today = todayInChina();
      const agency = (input.agency ?? '').trim();
      const reason = (input.reason ?? input.note ?? '').trim() || '不属于本机关职责范围，依法转办';
      const letter: TransferLetter = {
        number: await nextLetterNumber(tx, Number(today.slice(0, 4))),
        agency,
        reason,
        date: today,
        clueNumber: clue.number,
        summary: letterSummary(clue),
        issuer: ctx.settings.get(platformInfo).name,
      };
      return {
        resolution: { agency, transferReason: reason, transferLetter: letter, transferredBy: actor.name },
        payload: { agency, reason, letterNumber: letter.number },
      };
    },
  },
});

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

const chineseDate = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** The printable 转办函 (A4, Chinese). Every value is escaped: clue text is citizen input. */
export function transferLetterHtml(letter: TransferLetter): string {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${e(`转办函 ${letter.number}`)}</title>
<style>
  @page { size: A4; margin: 25mm 20mm; }
  body { font-family: "SimSun", "Songti SC", serif; font-size: 16pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
  .head { text-align: center; color: #c00; font-size: 26pt; font-weight: bold; letter-spacing: 2px; border-bottom: 3px solid #c00; padding-bottom: 6px; }
  .no { text-align: center; font-size: 14pt; margin: 8px 0 24px; }
  h1 { text-align: center; font-size: 20pt; margin: 16px 0; }
  p { text-indent: 2em; margin: 6px 0; white-space: pre-wrap; word-break: break-all; }
  .to { text-indent: 0; }
  .sign { text-align: right; margin-top: 48px; text-indent: 0; }
</style>
</head>
<body>
<div class="head">${e(letter.issuer)}</div>
<div class="no">${e(letter.number)}</div>
<h1>线索转办函</h1>
<p class="to">${e(letter.agency)}：</p>
<p>我局于受理渠道收到编号为 ${e(letter.clueNumber)} 的线索。经审查，${e(letter.reason)}。现将该线索转你单位依法处理。</p>
<p>${e(letter.summary)}</p>
<p>请依法处理，并将处理结果告知我局。</p>
<p class="sign">${e(letter.issuer)}<br>${e(chineseDate(letter.date))}</p>
</body>
</html>`;
}
