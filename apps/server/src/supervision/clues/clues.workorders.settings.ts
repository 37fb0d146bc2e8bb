import { z } from 'zod';
import { defineSetting } from '../../platform/settings/settings.define.ts';

const text = z
  .string()
  .trim()
  .min(5, '模板至少 5 个字')
  .max(300, '模板最多 300 个字（短信按 70 字一条计费）');

/**
 * 答复模板: the texts sent to complainants and informants (POST /api/clues/:id/replies). Versioned by effective
 * date, because the wording follows the rules in force (告知 obligations of Order 20 / Order 121). Placeholders:
 * {线索编号} {受理日期} {承办单位} {办理结果} {不予受理理由}.
 */
export const replyTemplatesSetting = defineSetting({
  key: 'clues.replyTemplates',
  group: 'system',
  label: '投诉举报答复模板',
  description:
    '答复投诉举报人的短信模板。可用占位符：{线索编号}{受理日期}{承办单位}{办理结果}{不予受理理由}。举报人信息保密，模板中不得出现其姓名。',
  versioned: true,
  schema: z.strictObject({ accepted: text, rejected: text, result: text }),
  default: {
    accepted:
      '您反映的问题（编号{线索编号}）已于{受理日期}受理，由{承办单位}办理，我们将依法处理并告知结果。',
    rejected:
      '您反映的问题（编号{线索编号}）经审查不予受理，理由：{不予受理理由}。如有异议可依法申请行政复议或提起诉讼。',
    result: '您反映的问题（编号{线索编号}）已办理完毕，办理结果：{办理结果}。感谢您对市场监管工作的支持。',
  },
  fields: {
    accepted: { label: '受理告知', type: 'string' },
    rejected: { label: '不予受理告知', type: 'string' },
    result: { label: '办理结果答复', type: 'string' },
  },
});
