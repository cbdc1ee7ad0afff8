import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/db';
import { EventBus } from '../events/bus';
import { fixedClock } from '../domain/time';
import { systemProbe } from '../cycle/lock';
import { FeedService } from './feedService';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

describe('feed runs left running by a process that is gone', () => {
  it('are closed as cancelled (interrupted: not a failure of the system) at the next start; a live process\'s run is left alone', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-feedsvc-'));
    dirs.push(dataDir);
    const store = openStore({ dataDir });
    try {
      // a real process that has ended: its pid no longer runs (or runs with another start time)
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      const deadPid = Number(gone.stdout);
      const insert = store.db.prepare("INSERT INTO feed_runs (feed, trigger, started_at, status, detail) VALUES (?, 'test', '2026-03-01T05:00:00Z', 'running', ?)");
      const dead = Number(insert.run('pss', JSON.stringify({ process: { pid: deadPid, hostname: os.hostname(), processStart: null } })).lastInsertRowid);
      const live = Number(insert.run('pros', JSON.stringify({ process: { pid: process.pid, hostname: os.hostname(), processStart: systemProbe.startOf(process.pid) } })).lastInsertRowid);
      const legacy = Number(insert.run('competitor', '{}').lastInsertRowid); // no process recorded: cannot tell, left alone

      const clock = fixedClock('2026-03-01T06:00:00Z');
      const service = new FeedService({ db: store.db, clock, events: new EventBus(clock), connectors: [] });
      const row = (id: number) => store.db.prepare('SELECT status, finished_at, error FROM feed_runs WHERE id = ?').get(id) as { status: string; finished_at: string | null; error: string | null };
      expect(row(dead)).toMatchObject({ status: 'cancelled', finished_at: '2026-03-01T06:00:00.000Z' });
      expect(row(dead).error).toMatch(new RegExp(`^interrupted: the process running it \\(pid ${deadPid} on .*\\) stopped before the sync finished`));
      expect(row(live).status).toBe('running');
      expect(row(legacy).status).toBe('running');
      expect(service.reapInterrupted()).toEqual([]); // nothing more to close
    } finally {
      store.close();
    }
  });
});
