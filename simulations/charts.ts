/** Report charts as SVG: Vega-Lite specs compiled to Vega and rendered headless in Node (no canvas, no browser). */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const BASE = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 520, height: 280, background: 'white' } as const;

/** One point of a metric-vs-round curve. */
export interface RoundPoint {
  readonly variant: string;
  readonly round: number;
  readonly value: number;
  /** ± band (std over seeds); 0 or absent for a single run. */
  readonly std?: number;
}

/** A metric against the round, one line per variant, with optional horizontal reference lines (e.g. centralised). */
export function metricByRoundChart(metric: string, points: readonly RoundPoint[], references: readonly { label: string; value: number }[] = []): TopLevelSpec {
  const withBand = points.map((p) => ({ ...p, lo: p.value - (p.std ?? 0), hi: p.value + (p.std ?? 0) }));
  const layers: object[] = [
    { mark: { type: 'errorband', opacity: 0.2 }, encoding: { x: { field: 'round', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative', title: metric }, y2: { field: 'hi' }, color: { field: 'variant', type: 'nominal' } } },
    { mark: { type: 'line', point: points.length <= 60 }, encoding: { x: { field: 'round', type: 'quantitative', title: 'round' }, y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } }, color: { field: 'variant', type: 'nominal', title: 'variant' } } },
  ];
  if (references.length > 0) {
    layers.push({
      data: { values: references },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { field: 'value', type: 'quantitative' }, color: { value: '#666' } } },
        { mark: { type: 'text', align: 'left', dx: 4, dy: -6, fontSize: 10 }, encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' }, color: { value: '#444' } } },
      ],
    });
  }
  return { ...BASE, title: `${metric} on the common test set by round`, data: { values: withBand }, layer: layers } as TopLevelSpec;
}

/** Per bank: its model alone vs the federated model, grouped bars. */
export function localVsFederatedChart(metric: string, rows: readonly { bank: string; model: string; value: number }[]): TopLevelSpec {
  return {
    ...BASE,
    title: `${metric}: each bank alone vs the federated model`,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'bank', type: 'nominal', title: 'bank', sort: null },
      xOffset: { field: 'model', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'model', type: 'nominal', title: 'model' },
    },
  } as TopLevelSpec;
}

/** A final metric against a swept parameter (ε, dropout rate …), mean ± std over seeds, one line per series. */
export function sweepChart(title: string, xTitle: string, metric: string, points: readonly { x: number; label: string; series: string; mean: number; std: number }[], logX = false): TopLevelSpec {
  const values = points.map((p) => ({ ...p, lo: p.mean - p.std, hi: p.mean + p.std }));
  return {
    ...BASE,
    title,
    data: { values },
    layer: [
      { mark: { type: 'errorbar' }, encoding: { x: { field: 'x', type: 'quantitative', title: xTitle, scale: logX ? { type: 'log' } : {} }, y: { field: 'lo', type: 'quantitative', title: metric }, y2: { field: 'hi' }, color: { field: 'series', type: 'nominal' } } },
      { mark: { type: 'line', point: true }, encoding: { x: { field: 'x', type: 'quantitative', title: xTitle, scale: logX ? { type: 'log' } : {} }, y: { field: 'mean', type: 'quantitative', title: metric, scale: { zero: false } }, color: { field: 'series', type: 'nominal', title: '' }, tooltip: [{ field: 'label' }] } },
    ],
  } as TopLevelSpec;
}
