/** A chart card with its title and a "PNG" button that exports the chart with title and legend. */
import { useRef, useState, type ReactNode } from 'react';
import { exportChartPng, type PngLegendItem } from './pngExport';
import { fileStamp } from './download';
import { palette } from './palette';
import { useUi } from '../state/ui';

export function ChartFrame({ title, subtitle, legend, fileName, children, testId, actions }: {
  title: string; subtitle?: string; legend?: readonly PngLegendItem[]; fileName: string; children: ReactNode; testId?: string; actions?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useUi((s) => s.theme);
  const [error, setError] = useState<string | null>(null);
  const onPng = async () => {
    setError(null);
    // the chart's own surface (legend icons are small recharts surfaces too)
    const svg = [...(ref.current?.querySelectorAll<SVGSVGElement>('svg.recharts-surface') ?? [])]
      .sort((a, b) => b.clientWidth * b.clientHeight - a.clientWidth * a.clientHeight)[0];
    if (!svg) { setError('Nothing to export yet: the chart has no data.'); return; }
    const p = palette(theme);
    try {
      await exportChartPng(`${fileName}-${fileStamp()}.png`, { svg, title, subtitle, legend, background: p.background, textColor: p.text });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="card chart-card" data-testid={testId} aria-label={title}>
      <header>
        <div>
          <h2>{title}</h2>
          {subtitle && <p className="muted small">{subtitle}</p>}
        </div>
        <div className="row-actions">
          {actions}
          <button type="button" className="small-button" onClick={() => void onPng()} data-testid={testId ? `${testId}-png` : undefined}>PNG</button>
        </div>
      </header>
      {error && <p className="error-text small" role="alert">{error}</p>}
      <div className="chart-body" ref={ref}>{children}</div>
    </section>
  );
}
