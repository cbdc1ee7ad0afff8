/**
 * Chart export as PNG: the chart's SVG (recharts draws one) is serialised, drawn onto a canvas at twice
 * the screen resolution under a title and a legend, and saved. Colours are concrete values (the chart
 * palette resolves the theme), so the SVG needs no stylesheet.
 */
import { downloadBlob } from './download';

export interface PngLegendItem { label: string; color: string }

export interface PngExportOptions {
  svg: SVGSVGElement;
  title: string;
  subtitle?: string;
  legend?: readonly PngLegendItem[];
  background: string;
  textColor: string;
  scale?: number;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** The SVG as a standalone document (namespaces, explicit size, a font). */
export function standaloneSvg(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width || Number(svg.getAttribute('width')) || 600);
  const height = Math.round(box.height || Number(svg.getAttribute('height')) || 300);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('font-family', FONT);
  clone.setAttribute('font-size', '12');
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    img.src = src;
  });
}

export async function chartToPng(o: PngExportOptions): Promise<Blob> {
  const scale = o.scale ?? 2;
  const { text, width, height } = standaloneSvg(o.svg);
  const img = await loadImage(`data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`);
  const legendRows = o.legend?.length ? Math.ceil(o.legend.length / 4) : 0;
  const head = 16 + 22 + (o.subtitle ? 18 : 0) + legendRows * 18 + 8;
  const canvas = document.createElement('canvas');
  canvas.width = (width + 32) * scale;
  canvas.height = (height + head + 16) * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this display cannot draw images (no 2D canvas)');
  ctx.scale(scale, scale);
  ctx.fillStyle = o.background;
  ctx.fillRect(0, 0, width + 32, height + head + 16);
  ctx.fillStyle = o.textColor;
  ctx.textBaseline = 'top';
  ctx.font = `600 16px ${FONT}`;
  ctx.fillText(o.title, 16, 16);
  let y = 16 + 22;
  if (o.subtitle) {
    ctx.font = `12px ${FONT}`;
    ctx.fillText(o.subtitle, 16, y);
    y += 18;
  }
  ctx.font = `12px ${FONT}`;
  (o.legend ?? []).forEach((item, i) => {
    const x = 16 + (i % 4) * ((width - 16) / 4);
    const row = y + Math.floor(i / 4) * 18;
    ctx.fillStyle = item.color;
    ctx.fillRect(x, row + 2, 12, 10);
    ctx.fillStyle = o.textColor;
    ctx.fillText(item.label, x + 18, row);
  });
  ctx.drawImage(img, 16, head, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}

export async function exportChartPng(fileName: string, o: PngExportOptions): Promise<void> {
  downloadBlob(fileName, await chartToPng(o));
}
