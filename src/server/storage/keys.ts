/**
 * Redis keys, all under one prefix. Per-portal keys share a hash tag `{p<id>}` so a portal's
 * keys live in one Redis Cluster slot (multi-key scripts stay legal there).
 */
export function createKeys(prefix: string) {
  const p = (portalId: number) => `${prefix}:{p${portalId}}`;
  return {
    prefix,
    /** What every key of one portal starts with (its hash tag). */
    portal: (portalId: number) => `${p(portalId)}:`,
    installation: (portalId: number) => `${p(portalId)}:installation`,
    installations: () => `${prefix}:installations`,
    oauthState: (state: string) => `${prefix}:oauth-state:${state}`,
    /** HubSpot refused our client credentials (shared by every portal). */
    credentialsAlarm: () => `${prefix}:credentials-alarm`,
    /** Written with the first installation: its absence later means Redis lost the app's data. */
    stateMarker: () => `${prefix}:state-marker`,
    refreshLock: (portalId: number) => `${p(portalId)}:refresh-lock`,
    rate: (portalId: number, bucket: string) => `${p(portalId)}:rate:${bucket}`,
    models: (portalId: number) => `${p(portalId)}:models`,
    activeModel: (portalId: number) => `${p(portalId)}:model:active`,
    backfill: (portalId: number) => `${p(portalId)}:backfill`,
    score: (portalId: number, contactId: string) => `${p(portalId)}:score:${contactId}`,
    pending: (portalId: number) => `${p(portalId)}:pending`,
    processing: (portalId: number) => `${p(portalId)}:processing`,
    /** Set: engagements created (`type:id`) whose contacts are to be found and rescored. */
    pendingEngagements: (portalId: number) => `${p(portalId)}:pending-engagements`,
    /** Zset: the portal's runs of one kind of job in progress (job id → lease end). */
    runs: (portalId: number, kind: string) => `${p(portalId)}:runs:${kind}`,
    nextChange: (portalId: number) => `${p(portalId)}:next-change`,
    events: (portalId: number) => `${p(portalId)}:events`,
    /** Zset: contact id → when its latest change reached us (kept RECENT_CHANGES_MS). */
    recentChanges: (portalId: number) => `${p(portalId)}:recent-changes`,
    modelMeta: (portalId: number) => `${p(portalId)}:model:meta`,
    modelLog: (portalId: number) => `${p(portalId)}:model:log`,
    modelDraft: (portalId: number) => `${p(portalId)}:model:draft`,
    facts: (portalId: number) => `${p(portalId)}:facts`,
    feedback: (portalId: number) => `${p(portalId)}:feedback`,
    feedbackLatest: (portalId: number) => `${p(portalId)}:feedback:latest`,
    /** The hand-off settings (routing rules, trigger, stage map). */
    handOff: (portalId: number) => `${p(portalId)}:handoff:settings`,
    /** Hash: contact id → its hand-off (lead or task, owner, stage, first touch). */
    handOffs: (portalId: number) => `${p(portalId)}:handoff:contacts`,
    /** Set: the contacts whose hand-off is open (its lead or task not closed). */
    openHandOffs: (portalId: number) => `${p(portalId)}:handoff:open`,
    /** Hash: lead id → contact id. */
    leadContacts: (portalId: number) => `${p(portalId)}:handoff:leads`,
    /** Hash: rotation → leads it gave out (round-robin turns). */
    rotations: (portalId: number) => `${p(portalId)}:handoff:rotations`,
    /** One hand-off of the contact at a time, across workers. */
    handOffLock: (portalId: number, contactId: string) =>
      `${p(portalId)}:handoff:lock:${contactId}`,
    /** The portal's owners, seats and availability, read from HubSpot a few minutes ago. */
    owners: (portalId: number) => `${p(portalId)}:handoff:owners`,
    rescoreRequested: (portalId: number) => `${p(portalId)}:rescore-requested`,
    activity: (portalId: number) => `${p(portalId)}:activity`,
    latencies: (portalId: number) => `${p(portalId)}:latencies`,
    /** Which set of lq_* properties the portal has (they are added as the product grows). */
    propertySet: (portalId: number) => `${p(portalId)}:property-set`,
    /** The portal's lifecycle stages, in order, as HubSpot last listed them. */
    lifecycleStages: (portalId: number) => `${p(portalId)}:lifecycle-stages`,
    propertyLabels: (portalId: number) => `${p(portalId)}:property-labels`,
    /** Hash: contact id → its latest status changes (JSON, newest first). */
    statusHistory: (portalId: number) => `${p(portalId)}:status-history`,
    statusLog: (portalId: number) => `${p(portalId)}:status-log`,
    /** The portal's jobs that failed for good (sync health's "errors needing attention"). */
    failures: (portalId: number) => `${p(portalId)}:failures`,
    training: (portalId: number, id: string) => `${p(portalId)}:training:${id}`,
    gradeSnapshots: (portalId: number) => `${p(portalId)}:grade-snapshots`,
    driftReport: (portalId: number) => `${p(portalId)}:drift-report`,
    preview: (portalId: number, id: string) => `${p(portalId)}:preview:${id}`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
