import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { decideLifecycle, inPortal } from '../../src/server/domain/lifecycle';
import { DEFAULT_LIFECYCLE_STAGES, parseModel, type Model } from '@lead-qualifier/contract';

const portal = (
  stages: string[],
  mapping: Partial<Model['lifecycle']['mapping']> = {},
  recycle = false,
) =>
  inPortal(
    {
      ...DEFAULT_MODEL,
      lifecycle: {
        ...DEFAULT_MODEL.lifecycle,
        mapping: { ...DEFAULT_MODEL.lifecycle.mapping, ...mapping },
        recycleMovesBack: recycle,
      },
    },
    stages.map((value) => ({ value })),
  );

const standard = [...DEFAULT_LIFECYCLE_STAGES, 'other'];
const custom = ['subscriber', 'lead', 'working', 'salesqualifiedlead', 'customer'];

describe('lifecycle stages in the portal’s own order and mapping', () => {
  it.each([
    ['an MQL with no stage, standard stages', standard, {}, 'mql', null, 'marketingqualifiedlead'],
    ['an MQL in a portal without the MQL stage: no stage', custom, {}, 'mql', 'lead', null],
    [
      'an MQL mapped to the portal’s own stage',
      custom,
      { mql: 'working' },
      'mql',
      'lead',
      'working',
    ],
    ['an SQL already past its stage: kept', custom, {}, 'sql', 'customer', null],
    ['a status mapped to no stage writes none', standard, { sql: null }, 'sql', 'lead', null],
    ['a contact at a stage the portal lacks: kept', custom, {}, 'sql', 'legacy_stage', null],
    [
      'forward in the portal’s order, not HubSpot’s',
      ['lead', 'salesqualifiedlead', 'marketingqualifiedlead'],
      {},
      'mql',
      'salesqualifiedlead',
      'marketingqualifiedlead',
    ],
  ] as const)('%s', (_what, stages, mapping, status, current, target) => {
    const decision = decideLifecycle(portal([...stages], mapping), status, current);
    expect(decision.change === 'forward' ? decision.target : null).toBe(target);
  });

  it('the recycle option moves the mapped MQL/SQL stages back to the mapped lead stage', () => {
    const model = portal(custom, { mql: 'working' }, true);
    expect(decideLifecycle(model, 'recycled', 'working')).toMatchObject({
      change: 'backward',
      target: 'lead',
    });
    expect(decideLifecycle(model, 'recycled', 'customer').change).toBe('none');
  });

  it('a stored model without a mapping gets HubSpot’s standard stages', () => {
    const parsed = parseModel({ ...DEFAULT_MODEL, lifecycle: { recycleMovesBack: false } });
    expect(parsed.ok && parsed.value.lifecycle.mapping).toEqual({
      lead: 'lead',
      mql: 'marketingqualifiedlead',
      sql: 'salesqualifiedlead',
    });
  });
});
