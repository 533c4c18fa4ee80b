/**
 * Plain SVG bar charts. Four small bar charts did not justify a chart library: SVG keeps the
 * bundle small, prints crisply, and every bar is a keyboard-focusable button that opens
 * the rows behind it.
 */
import type { KeyboardEvent } from 'react';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Shown above the bar instead of the value (e.g. «29%»). */
  caption?: string;
  color?: string;
}

interface Props {
  title: string;
  bars: Bar[];
  selected: string | null;
  onSelect: (key: string) => void;
  /** The largest value of the axis (defaults to the largest bar). */
  max?: number;
  height?: number;
}

const LINE_CHARS = 10;
const MAX_LINES = 3;
const LINE_HEIGHT = 12;

/**
 * A bar's label in lines of about LINE_CHARS, broken between words: «Средняя школа № 2» and
 * «Средняя школа № 7» stay told apart (cut at a fixed length both were «Средняя ш…»). Only past
 * MAX_LINES is the rest cut, and the whole label is in the bar's tooltip.
 */
export function labelLines(label: string): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= LINE_CHARS) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES - 1), `${lines[MAX_LINES - 1]}…`];
}

export function BarChart({ title, bars, selected, onSelect, max, height = 180 }: Props) {
  const top = Math.max(1, max ?? Math.max(0, ...bars.map((b) => b.value)));
  const w = Math.max(320, bars.length * 56);
  const labels = bars.map((b) => labelLines(b.label));
  const extra = (Math.max(1, ...labels.map((l) => l.length)) - 1) * LINE_HEIGHT;
  const plot = height - 48;
  const bw = Math.min(40, (w - 20) / Math.max(1, bars.length) - 10);
  const key = (e: KeyboardEvent, k: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(k);
    }
  };
  return (
    <figure className="rp-chart" style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${w} ${height + extra}`} role="group" aria-label={title}>
        <line className="axis" x1={10} x2={w - 10} y1={plot + 16} y2={plot + 16} />
        {bars.map((b, i) => {
          const slot = (w - 20) / bars.length;
          const x = 10 + slot * i + (slot - bw) / 2;
          const h = Math.round((plot - 4) * (b.value / top));
          const y = plot + 16 - h;
          return (
            <g key={b.key}>
              <rect
                className={selected === b.key ? 'bar selected' : 'bar'}
                x={x}
                y={y}
                width={bw}
                height={Math.max(h, 1)}
                fill={b.color ?? '#1f5fbf'}
                tabIndex={0}
                role="button"
                aria-label={`${b.label}: ${b.caption ?? b.value}`}
                onClick={() => onSelect(b.key)}
                onKeyDown={(e) => key(e, b.key)}
              >
                <title>{`${b.label}: ${b.caption ?? b.value}`}</title>
              </rect>
              <text x={x + bw / 2} y={y - 4} textAnchor="middle">
                {b.caption ?? b.value}
              </text>
              <text x={x + bw / 2} y={plot + 30} textAnchor="middle">
                {labels[i]!.map((line, n) => (
                  <tspan key={n} x={x + bw / 2} dy={n === 0 ? 0 : LINE_HEIGHT}>
                    {line}
                  </tspan>
                ))}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
