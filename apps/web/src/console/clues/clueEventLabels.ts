import { CLUE_STATUS_LABELS, type ClueEvent, type ClueStatus } from '@rongjian/shared/api';
import { channelLabel, kindLabel } from './labels.tsx';

/**
 * Chinese names of the ledger events a clue's timeline shows. The timeline is the ledger: modules this page does
 * not know (研判, 调度, 检查, 执法, 监督) add their events later, so an unknown kind still reads sensibly — by its
 * family (`dispatch.*` → 指挥调度) and the `label`/`statusLabel` its payload carries — instead of a raw code.
 */
export const CLUE_EVENT_LABELS: Record<string, string> = {
  'clue.received': '收到线索',
  'clue.linked': '关联经营主体',
  'clue.register': '登记',
  'clue.answer': '直接办结（答复）',
  'clue.toAnalysis': '转研判',
  'clue.toDispatch': '转调度',
  'clue.startHandling': '开始办理',
  'clue.recordResult': '反馈办理结果',
  'clue.close': '办结',
  'clue.reject': '不予受理',
  'clue.transfer': '转办',
  'clue.merge': '并案',
  'clue.merged': '并入本线索',
  'clue.merged_in': '其他线索并入',
  'clue.reopen': '重新办理',
  'clue.returnToDispatch': '退回待调度',
  'analysis.judged': '研判',
  'analysis.finding.raised': '模式发现（生成线索）',
  'analysis.finding.confirmed': '确认模式发现',
  'analysis.finding.dismissed': '忽略模式发现',
  'dispatch.order.created': '派单',
  'dispatch.order.returned': '调度单退回',
  'dispatch.order.completed': '调度单办结',
  'clue.sorted': '分拣确认',
  'clue.sorting': '分拣确认',
  'clue.sortCorrected': '分拣更正',
  'clue.sort_corrected': '分拣更正',
  'clue.split': '拆分线索',
  'clue.splitFrom': '由拆分产生',
  'clue.split_from': '由拆分产生',
  'clue.duplicate': '疑似重复',
  'clue.duplicate_suggested': '提示疑似重复',
  'clue.duplicate_dismissed': '排除重复',
  'clue.attachment_added': '上传附件',
  'clue.replied': '答复投诉（举报）人',
  'clue.reply': '答复投诉（举报）人',
  'clue.satisfaction': '满意度回访',
  'clue.pushed': '结果回推',
  'clue.push_failed': '结果回推失败',
  'deadline.started': '开始计时',
  'deadline.warning': '时限预警',
  'deadline.overdue': '时限逾期',
  'deadline.met': '时限办结',
  'deadline.cancelled': '时限撤销',
  'deadline.paused': '时限中止',
  'deadline.resumed': '时限恢复',
  'deadline.reassigned': '时限移交',
  'deadline.extension.requested': '申请延期',
  'deadline.extension.approved': '延期获批',
  'deadline.extension.rejected': '延期被驳回',
  'workorder.imported': '工单导入',
  'workorder.received': '收到工单推送',
  'workorder.pushed': '工单结果回推',
  'workorder.result_pushed': '工单结果回推',
  'workorder.push_failed': '工单结果回推失败',
  'workorder.replied': '工单答复',
  'sms.sent': '短信已发送',
  'sms.failed': '短信发送失败',
};

/** Families of event kinds, for kinds the table above does not name yet. */
const FAMILIES: Record<string, string> = {
  clue: '线索',
  deadline: '时限',
  workorder: '工单',
  analysis: '综合研判',
  judgment: '综合研判',
  dispatch: '指挥调度',
  inspection: '检查',
  enforcement: '执法',
  case: '案件',
  oversight: '监督',
  sms: '短信',
  entity: '经营主体',
};

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The timeline's headline for one event. */
export function eventLabel(e: Pick<ClueEvent, 'kind' | 'payload'>): string {
  const known = CLUE_EVENT_LABELS[e.kind];
  const payloadLabel = text(e.payload.label);
  if (known) {
    // Deadline events name their limit: 时限预警 · 投诉受理决定.
    return e.kind.startsWith('deadline.') && payloadLabel ? `${known} · ${payloadLabel}` : known;
  }
  const family = FAMILIES[e.kind.split('.')[0] ?? ''] ?? '办理';
  const status = text(e.payload.statusLabel);
  if (payloadLabel) return `${family} · ${payloadLabel}`;
  if (status) return `${family} · ${status}`;
  return `${family}记录`;
}

const STATUS = (v: unknown) =>
  typeof v === 'string' && v in CLUE_STATUS_LABELS ? CLUE_STATUS_LABELS[v as ClueStatus] : null;

/** Readable facts of an event's payload (never raw JSON): what changed, with what answer, result or reason. */
export function eventDetails(e: Pick<ClueEvent, 'kind' | 'payload'>): string[] {
  const p = e.payload;
  const out: string[] = [];
  if (e.kind === 'clue.received') {
    const parts = [
      text(p.number),
      p.kind ? kindLabel(String(p.kind)) : null,
      p.channel ? channelLabel(String(p.channel)) : null,
    ];
    out.push(parts.filter(Boolean).join(' · '));
    if (text(p.externalNo)) out.push(`工单号 ${text(p.externalNo)}`);
    if (text(p.regulation)) out.push(`适用 ${text(p.regulation)}`);
  }
  if (e.kind === 'clue.sorted') {
    const parts = [
      text(p.kindLabel),
      text(p.businessLine),
      text(p.routeLabel) ? `去向 ${text(p.routeLabel)}` : null,
    ];
    out.push(parts.filter(Boolean).join(' · '));
    if (Array.isArray(p.correctedFields) && p.correctedFields.length > 0) out.push('已更正分拣建议');
  }
  if (e.kind === 'clue.split') {
    if (text(p.fromNumber)) out.push(`拆分自 ${text(p.fromNumber)}`);
    if (Array.isArray(p.parts)) {
      const numbers = p.parts.map((x) => text((x as { number?: unknown }).number)).filter(Boolean);
      if (numbers.length) out.push(`拆出 ${numbers.join('、')}`);
    }
  }
  if (e.kind === 'clue.merged_in' && text(p.fromNumber)) {
    out.push(`${text(p.fromNumber)}${p.channel ? `（${channelLabel(String(p.channel))}）` : ''} 并入本线索`);
  }
  if (e.kind === 'clue.replied') {
    out.push(
      `${text(p.templateLabel) ?? '答复'}：发送 ${Number(p.sent ?? 0)} 条${Number(p.failed ?? 0) ? `，失败 ${Number(p.failed)} 条` : ''}`,
    );
  }
  if (e.kind === 'clue.satisfaction' && text(p.label)) {
    out.push(`回访结果：${text(p.label)}${p.reopen ? '，重新办理' : ''}`);
  }
  if (e.kind === 'analysis.judged') {
    if (text(p.disposalLabel)) out.push(`处置方式：${text(p.disposalLabel)}`);
    if (text(p.conclusion)) out.push(`研判结论：${text(p.conclusion)}`);
    if (text(p.basis)) out.push(`研判依据：${text(p.basis)}`);
    if (Array.isArray(p.changes) && p.changes.length > 0) out.push('已更正线索分类');
    if (Number(p.groupSize ?? 1) > 1) out.push(`与另外 ${Number(p.groupSize) - 1} 条线索一并研判`);
  }
  if (e.kind === 'analysis.finding.raised') {
    if (text(p.detectorLabel)) out.push(`检测规则：${text(p.detectorLabel)}`);
    const ev = (p.evidence ?? {}) as Record<string, unknown>;
    const cited = [
      ...(Array.isArray(ev.clues) ? ev.clues : []),
      ...(Array.isArray(ev.openClues) ? ev.openClues : []),
    ]
      .map((x) => text((x as { number?: unknown }).number))
      .filter(Boolean);
    if (cited.length > 0) out.push(`证据线索：${cited.join('、')}`);
    if (typeof ev.p === 'number') {
      out.push(
        `${text(ev.week) ?? ''} 共 ${Number(ev.count)} 条，基线平均 ${Number(ev.baselineMean)} 条，p = ${ev.p.toExponential(2)}`,
      );
    }
    if (text(ev.licenceNo)) out.push(`许可证 ${text(ev.licenceNo)}，有效期至 ${text(ev.validUntil)}`);
    if (text(ev.documentNo))
      out.push(`文号 ${text(ev.documentNo)}${text(ev.reason) ? `：${text(ev.reason)}` : ''}`);
  }
  if (e.kind === 'clue.reject' && text(p.groundLabel)) {
    out.push(
      `不予受理理由：${[text(p.regulation), text(p.article)].filter(Boolean).join('')} ${text(p.groundLabel)}`,
    );
  }
  if (text(p.letterNumber)) out.push(`转办函 ${text(p.letterNumber)}`);
  const from = STATUS(p.from);
  const to = STATUS(p.to);
  if (from && to) out.push(`${from} → ${to}`);
  const fields: [string, string][] = [
    ['answer', '答复'],
    ['result', '办理结果'],
    ['reason', '原因'],
    ['note', '说明'],
    ['agency', '接收机关'],
    ['targetNumber', '并入'],
    ['title', '标题'],
    ['fileName', '文件'],
    ['text', '内容'],
    ['dueOn', '到期日'],
  ];
  for (const [key, label] of fields) {
    const v = text(p[key]);
    if (v) out.push(`${label}：${v}`);
  }
  if (typeof p.days === 'number') out.push(`天数：${p.days}`);
  return out.filter((s) => s.length > 0);
}
