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

export function BarChart({ title, bars, selected, onSelect, max, height = 180 }: Props) {
  const top = Math.max(1, max ?? Math.max(0, ...bars.map((b) => b.value)));
  const w = Math.max(320, bars.length * 56);
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
      <svg viewBox={`0 0 ${w} ${height}`} role="group" aria-label={title}>
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
                {b.label.length > 10 ? `${b.label.slice(0, 9)}…` : b.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
