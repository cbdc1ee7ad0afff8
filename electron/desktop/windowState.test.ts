import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from './windowState';

const display = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('round-trips and falls back to defaults for missing, broken or off-screen state', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-ws-'));
    const file = path.join(dir, 'window.json');
    expect(loadWindowState(file, display)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(file, { width: 1200, height: 800, x: 50, y: 40, maximized: true });
    expect(loadWindowState(file, display)).toEqual({ width: 1200, height: 800, x: 50, y: 40, maximized: true });
    saveWindowState(file, { width: 1200, height: 800, x: 5000, y: 40, maximized: false });
    expect(loadWindowState(file, display)).toEqual({ width: 1200, height: 800, x: undefined, y: undefined, maximized: false });
    fs.writeFileSync(file, '{"width": 10');
    expect(loadWindowState(file, display)).toEqual(DEFAULT_WINDOW_STATE);
    fs.writeFileSync(file, '{"width": 100, "height": 100, "maximized": false}');
    expect(loadWindowState(file, display)).toEqual(DEFAULT_WINDOW_STATE);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
