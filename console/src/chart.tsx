import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly colour: string;
}

const HEIGHT = 260;
/** The width in CSS pixels a slanted category label needs beside the next one. */
const LABEL_ROOM = 24;
const LONGEST_LABEL = 16;

function shorten(label: string): string {
  return label.length <= LONGEST_LABEL ? label : `${label.slice(0, LONGEST_LABEL - 1)}…`;
}
/** Two series side by side around each category: the first left of its tick, the second right. */
const ALIGN_OF_SERIES: readonly (-1 | 0 | 1)[] = [-1, 1];

/**
 * Bars of one or two series per category (a lot), drawn with uPlot on a canvas sized to its
 * container. The canvas says nothing to a screen reader: `summary` does, and each screen shows
 * the same numbers in a table beside it.
 */
export function BarChart({
  title,
  summary,
  categories,
  series,
}: {
  title: string;
  summary: string;
  categories: readonly string[];
  series: readonly BarSeries[];
}) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (element === null) return;
    const sideBySide = series.length > 1;
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: HEIGHT,
        // the legend names the series; the values are in the table, the cursor reads none
        legend: { show: sideBySide, live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, categories.length - 0.5] }, y: { range: (_self, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          {
            splits: () => categories.map((_category, index) => index),
            values: (self, splits) => {
              // a narrow chart labels every n-th category only, so the labels never overlap
              const perCategory = self.bbox.width / devicePixelRatio / Math.max(categories.length, 1);
              const every = Math.max(1, Math.ceil(LABEL_ROOM / perCategory));
              return splits.map((index) => (index % every === 0 ? shorten(categories[index] ?? '') : ''));
            },
            rotate: categories.length > 4 ? -30 : 0,
            size: categories.length > 4 ? 80 : 40,
            gap: 4,
            grid: { show: false },
          },
          { size: 60 },
        ],
        series: [
          { label: 'Lot' },
          ...series.map((one, index) => ({
            label: one.label,
            fill: one.colour,
            stroke: one.colour,
            width: 0,
            points: { show: false },
            paths: uPlot.paths.bars?.({ size: [sideBySide ? 0.35 : 0.6, 80], align: sideBySide ? (ALIGN_OF_SERIES[index] ?? 0) : 0 }),
          })),
        ],
      },
      [categories.map((_category, index) => index), ...series.map((one) => [...one.values])],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [categories, series]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={holder} role="img" aria-label={summary} />
    </figure>
  );
}
