import { handOff } from '../handoff';
import { defineJob } from '../job-scope';

/** A contact ready for sales (or handed over from the card) becomes a Lead for its owner. */
export const handOffJob = defineJob(
  'hand-off',
  { installed: true, properties: false },
  async ({ portalId, contactId }, scope) => handOff(scope.deps, portalId, contactId),
);
