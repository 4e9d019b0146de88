import { driftReportSchema, type DriftReport } from '@lead-qualifier/contract';
import { gradeSnapshotSchema, type GradeSnapshot } from '../learning/drift';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

/** Grade snapshots kept per portal: almost four years of weekly checks. */
const SNAPSHOTS_KEPT = 200;

/** Each drift check's grade snapshot, and the latest report the settings page shows. */
export function createDriftStore(redis: Redis, keys: Keys) {
  return {
    /** The first snapshot under `modelVersion`: the version's calibration, or null. */
    async baseline(portalId: number, modelVersion: number): Promise<GradeSnapshot | null> {
      const all = await redis.lrange(keys.gradeSnapshots(portalId), 0, -1);
      let first: GradeSnapshot | null = null;
      for (const json of all) {
        const s = parseStored(gradeSnapshotSchema, json, `portal ${portalId} grade snapshot`);
        if (s.modelVersion === modelVersion && (first === null || s.at < first.at)) first = s;
      }
      return first;
    },
    async record(portalId: number, snapshot: GradeSnapshot, report: DriftReport): Promise<void> {
      await redis
        .multi()
        .lpush(keys.gradeSnapshots(portalId), JSON.stringify(snapshot))
        .ltrim(keys.gradeSnapshots(portalId), 0, SNAPSHOTS_KEPT - 1)
        .set(keys.driftReport(portalId), JSON.stringify(report))
        .exec();
    },
    async report(portalId: number): Promise<DriftReport | null> {
      const json = await redis.get(keys.driftReport(portalId));
      return json ? parseStored(driftReportSchema, json, `portal ${portalId} drift report`) : null;
    },
  };
}
export type DriftStore = ReturnType<typeof createDriftStore>;
