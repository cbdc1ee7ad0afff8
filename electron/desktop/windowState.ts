/** The window remembers its size, position and maximised state (the renderer remembers its last screen). */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface WindowState { width: number; height: number; x?: number; y?: number; maximized: boolean }
export interface DisplayArea { x: number; y: number; width: number; height: number }

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false };

const schema = z.object({
  width: z.number().int().min(640).max(20_000),
  height: z.number().int().min(480).max(20_000),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean(),
});

/** Reads the saved state; falls back to defaults when missing, unreadable or off every display. */
export function loadWindowState(file: string, displays: DisplayArea[]): WindowState {
  let raw: unknown;
  try { raw = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return DEFAULT_WINDOW_STATE; }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return DEFAULT_WINDOW_STATE;
  const s = parsed.data;
  if (s.x === undefined || s.y === undefined) return { ...s, x: undefined, y: undefined };
  const visible = displays.some((d) => s.x! + 100 > d.x && s.x! < d.x + d.width - 100 && s.y! >= d.y - 10 && s.y! < d.y + d.height - 100);
  return visible ? s : { ...s, x: undefined, y: undefined };
}

export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}
