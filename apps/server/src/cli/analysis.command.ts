import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';

/**
 * 综合研判 commands (issue 6): `analysis link-eval` measures entity linking on the labelled set against the configured
 * database (embedded ./data or DATABASE_URL; it seeds nothing), `analysis link-set` rewrites the set file from its
 * generator. Modules load on demand so that other commands stay quick to start.
 */
export function registerAnalysisCommands(program: Command): void {
  const analysis = program.command('analysis').description('综合研判：主体关联评估等');

  analysis
    .command('link-eval')
    .description(
      '在标注集上评估主体关联：对每条文本识别被投诉主体，打印首位命中率（top-1）与前三命中率（top-3）',
    )
    .option('--set <path>', '标注集（JSON Lines，每行 {"text","uscc"}；默认随项目发布的 linking-set.jsonl）')
    .option('--misses <n>', '列出前 N 条首位未命中的文本', '0')
    .action(async (opts: { set?: string; misses: string }) => {
      const { LINKING_SET_PATH, readLinkingSet, evaluateLinking } = await import(
        '../supervision/analysis/analysis.linking.set.ts'
      );
      const { openCliContext } = await import('./exchange.command.ts');
      const file = opts.set ?? LINKING_SET_PATH;
      let items: ReturnType<typeof readLinkingSet>;
      try {
        items = readLinkingSet(file);
      } catch (err) {
        process.stderr.write(`无法读取标注集 ${file}：${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const { database, ctx } = await openCliContext();
      try {
        const t0 = Date.now();
        const r = await evaluateLinking(ctx.db, items, { vault: ctx.pii });
        const seconds = (Date.now() - t0) / 1000;
        if (r.evaluated === 0) {
          process.stderr.write(
            `标注集 ${r.total} 条，数据库中没有找到其中任何一个主体（请先用 rongjian seed 生成种子 42 的示范县）\n`,
          );
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          `标注集 ${r.total} 条，其中 ${r.evaluated} 条的主体在数据库中（其余跳过）\n` +
            `首位命中率（top-1）：${r.top1Accuracy.toFixed(3)}（${r.top1}/${r.evaluated}）\n` +
            `前三命中率（top-3）：${r.top3Accuracy.toFixed(3)}（${r.top3}/${r.evaluated}）\n` +
            `用时 ${seconds.toFixed(1)} 秒，平均每条 ${((seconds * 1000) / r.evaluated).toFixed(1)} 毫秒\n`,
        );
        const show = Math.max(0, Number.parseInt(opts.misses, 10) || 0);
        for (const m of r.misses.slice(0, show)) {
          process.stdout.write(`未命中：${m.text}\n  应为 ${m.expected}，首位 ${m.got ?? '（无候选）'}\n`);
        }
      } finally {
        await database.close();
      }
    });

  analysis
    .command('link-set')
    .description('由示范县（种子 42）重新生成主体关联标注集文件')
    .option('--out <path>', '输出文件（默认随项目发布的 linking-set.jsonl）')
    .action(async (opts: { out?: string }) => {
      const { LINKING_SET_PATH, generateLinkingSet, encodeLinkingSet } = await import(
        '../supervision/analysis/analysis.linking.set.ts'
      );
      const items = generateLinkingSet();
      const file = opts.out ?? LINKING_SET_PATH;
      writeFileSync(file, encodeLinkingSet(items));
      process.stdout.write(`已写出 ${items.length} 条到 ${file}\n`);
    });
}
