import type { EChartsCoreOption } from 'echarts/core';
import { type CSSProperties, useEffect, useRef } from 'react';
import { echarts } from './echarts.ts';

type Handler = (params: never) => void;

/**
 * A minimal React binding for ECharts: one chart per element, options replaced (not merged) on change, event
 * handlers re-bound when they change, resized with its container. (echarts-for-react needs `tslib` at the top
 * of node_modules without declaring it, which this install does not have.)
 */
export function EChart(props: {
  option: EChartsCoreOption;
  style?: CSSProperties;
  onEvents?: Record<string, Handler>;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  useEffect(() => {
    const c = chart.current;
    const handlers = Object.entries(props.onEvents ?? {});
    for (const [name, fn] of handlers) c?.on(name, fn as (p: unknown) => void);
    return () => {
      for (const [name, fn] of handlers) c?.off(name, fn as (p: unknown) => void);
    };
  }, [props.onEvents]);

  return <div ref={el} style={props.style} />;
}
