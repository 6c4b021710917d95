import { useRef } from 'react';
import { ApiError, errors } from '../api/client';

/**
 * Small SVG charts for the reports (no chart library): bars and stacked
 * series, each with a "Download PNG" that draws the SVG onto a canvas.
 */

export const PALETTE = ['#2f6fde', '#d9822b', '#3a9d5d', '#c23c3c', '#7b5ea7', '#8c6d31', '#1b9aaa', '#e377c2'];
export const SENTIMENT_COLOURS: Record<string, string> = { positive: '#3a9d5d', neutral: '#8a94a3', negative: '#c23c3c' };

/** Renders the SVG into a PNG (white background, twice the size for sharpness) and downloads it. */
export async function downloadSvgAsPng(svg: SVGSVGElement, filename: string) {
  const { width, height } = svg.viewBox.baseVal;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // A data: URL, not a blob: one: the page's CSP allows images from 'self' and data: only.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
  {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
    if (!blob) throw new Error('the chart could not be encoded');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}

function ChartFrame({ title, filename, children, width, height }: { title: string; filename: string; children: React.ReactNode; width: number; height: number }) {
  const ref = useRef<SVGSVGElement>(null);
  return (
    <figure className="chart">
      <svg ref={ref} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} style={{ width: '100%', maxWidth: width }} fontFamily="system-ui, sans-serif" fontSize="11">
        <text x={8} y={16} fontSize="13" fontWeight="600" fill="#1d2430">
          {title}
        </text>
        {children}
      </svg>
      <button type="button" onClick={() => ref.current && void downloadSvgAsPng(ref.current, filename).catch((e: unknown) => errors.report(new ApiError(0, 'internal', `PNG download failed: ${e instanceof Error ? e.message : String(e)}`)))}>
        Download PNG
      </button>
    </figure>
  );
}

/** Horizontal bars, one per label. */
export function BarChart({ title, filename, items, format = String }: { title: string; filename: string; items: Array<{ label: string; value: number | null }>; format?: (v: number) => string }) {
  const W = 640;
  const row = 22;
  const H = 32 + Math.max(1, items.length) * row + 8;
  const max = Math.max(1e-9, ...items.map((i) => i.value ?? 0));
  const left = 170;
  return (
    <ChartFrame title={title} filename={filename} width={W} height={H}>
      {items.length === 0 && (
        <text x={8} y={44} fill="#6b7480">
          No data in this range
        </text>
      )}
      {items.map((it, i) => {
        const y = 30 + i * row;
        const w = ((it.value ?? 0) / max) * (W - left - 90);
        return (
          <g key={it.label}>
            <text x={left - 6} y={y + 14} textAnchor="end" fill="#1d2430">
              {it.label.length > 26 ? `${it.label.slice(0, 25)}…` : it.label}
            </text>
            <rect x={left} y={y + 3} width={Math.max(0, w)} height={row - 6} fill={PALETTE[i % PALETTE.length]} rx={2} />
            <text x={left + w + 6} y={y + 14} fill="#1d2430">
              {it.value === null ? '—' : format(it.value)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

/** Stacked columns over time: one column per period, one colour per series. */
export function StackedChart({ title, filename, periods, series, colours }: { title: string; filename: string; periods: string[]; series: Array<{ name: string; values: number[] }>; colours?: Record<string, string> }) {
  const W = 720;
  const H = 240;
  const top = 28;
  const bottom = 40;
  const left = 44;
  const totals = periods.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotH = H - top - bottom;
  const colW = periods.length ? (W - left - 10) / periods.length : 0;
  const colour = (name: string, i: number) => colours?.[name] ?? PALETTE[i % PALETTE.length]!;
  const tickEvery = Math.max(1, Math.ceil(periods.length / 8));
  return (
    <ChartFrame title={title} filename={filename} width={W} height={H}>
      <line x1={left} x2={W - 10} y1={top + plotH} y2={top + plotH} stroke="#c8ced6" />
      <text x={left - 6} y={top + 8} textAnchor="end" fill="#6b7480">
        {max}
      </text>
      <text x={left - 6} y={top + plotH} textAnchor="end" fill="#6b7480">
        0
      </text>
      {periods.map((p, i) => {
        let y = top + plotH;
        return (
          <g key={p}>
            {series.map((s, k) => {
              const h = ((s.values[i] ?? 0) / max) * plotH;
              y -= h;
              return <rect key={s.name} x={left + i * colW + 1} y={y} width={Math.max(1, colW - 2)} height={h} fill={colour(s.name, k)} />;
            })}
            {i % tickEvery === 0 && (
              <text x={left + i * colW + colW / 2} y={top + plotH + 14} textAnchor="middle" fill="#6b7480">
                {p.length > 13 ? p.slice(5, 13).replace('T', ' ') : p.slice(5, 10)}
              </text>
            )}
          </g>
        );
      })}
      {series.map((s, k) => (
        <g key={s.name} transform={`translate(${left + k * 110}, ${H - 12})`}>
          <rect width={10} height={10} y={-9} fill={colour(s.name, k)} />
          <text x={14} fill="#1d2430">
            {s.name}
          </text>
        </g>
      ))}
    </ChartFrame>
  );
}
