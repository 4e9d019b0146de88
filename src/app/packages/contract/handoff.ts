/**
 * The hand-off to sales: when a qualified contact becomes a HubSpot Lead (or, in portals
 * without the Leads object, a task), who gets it, and what sales' work on it says back.
 */
import { z } from 'zod';

const ids = z.array(z.string().regex(/^\d+$/, 'a HubSpot owner id (digits)')).max(200);

/** A territory condition: a contact or company property, equal to one of `values`. */
export const territoryConditionSchema = z.object({
  object: z.enum(['contact', 'company']),
  property: z.string().regex(/^[a-z0-9_]+$/, 'a HubSpot property name such as country'),
  values: z
    .array(z.string().trim().min(1).max(200))
    .min(1, 'list at least one value')
    .max(100, 'at most 100 values'),
});
export type TerritoryCondition = z.infer<typeof territoryConditionSchema>;

export const routingRuleSchema = z.discriminatedUnion('kind', [
  /** The company's owner, when the contact's company has one (account-based). */
  z.object({ kind: z.literal('account_owner') }),
  /** The owner of the company's newest open deal. */
  z.object({ kind: z.literal('deal_owner') }),
  /** Contacts whose properties all match go round-robin to the territory's owners. */
  z.object({
    kind: z.literal('territory'),
    name: z.string().trim().min(1, 'name the territory').max(80),
    when: z.array(territoryConditionSchema).min(1, 'a territory needs a condition').max(10),
    ownerIds: ids.min(1, "choose the territory's owners"),
  }),
]);
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/** The lead stages that mean sales' answer, and the one that means untouched. */
export const leadStageMapSchema = z.object({
  untouched: z.array(z.string().min(1)).max(20).default(['new-stage-id']),
  qualified: z.array(z.string().min(1)).min(1).max(20).default(['qualified-stage-id']),
  disqualified: z.array(z.string().min(1)).min(1).max(20).default(['unqualified-stage-id']),
});

export const handOffSettingsSchema = z
  .object({
    /** Off until an admin turns it on: nothing is created in HubSpot before that. */
    enabled: z.boolean().default(false),
    /** Turned on, the contacts already waiting at the trigger are handed off too. */
    handOffWaiting: z.boolean().default(true),
    /** `ready`: the model finds the lead ready for sales; `mql_ab`: an MQL graded A or B. */
    trigger: z.enum(['ready', 'mql_ab', 'manual']).default('ready'),
    /** Evaluated in order; the first that names an eligible owner routes the lead. */
    rules: z
      .array(routingRuleSchema)
      .max(50)
      .default([{ kind: 'account_owner' }]),
    /** The round-robin after the rules: a team's members (null: every owner with a seat). */
    roundRobinTeamId: z.string().regex(/^\d+$/).nullable().default(null),
    /** Only these owners take part (empty: all of the team). */
    roundRobinOwnerIds: ids.default([]),
    /** The owner with the fewest open leads first (ties in turn), instead of strict turns. */
    weighByLoad: z.boolean().default(false),
    /** Users marked away in HubSpot get no new leads. */
    skipAway: z.boolean().default(true),
    /** Hours from hand-off to the first sales touch before it is a breach. */
    firstTouchHours: z
      .number()
      .min(0.001, 'at least 0.001 hours')
      .max(720, 'at most 720 hours (30 days)')
      .default(4),
    stages: leadStageMapSchema.default({
      untouched: ['new-stage-id'],
      qualified: ['qualified-stage-id'],
      disqualified: ['unqualified-stage-id'],
    }),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    for (const [k, r] of s.rules.entries()) {
      if (r.kind === 'territory') continue;
      if (seen.has(r.kind))
        ctx.addIssue({ code: 'custom', path: ['rules', k], message: `${r.kind} is listed twice` });
      seen.add(r.kind);
    }
    const both = s.stages.qualified.filter((x) => s.stages.disqualified.includes(x));
    if (both.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['stages'],
        message: `a stage cannot mean both qualified and disqualified: ${both.join(', ')}`,
      });
  });
export type HandOffSettings = z.infer<typeof handOffSettingsSchema>;
export type HandOffSettingsInput = z.input<typeof handOffSettingsSchema>;

/** Where the portal's hand-off goes, and why. */
export const handOffModeSchema = z.object({
  mode: z.enum(['leads', 'tasks']),
  reason: z.string(),
});
export type HandOffMode = z.infer<typeof handOffModeSchema>;

/** A user who can be given leads, as the settings page lists them. */
export const ownerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  /** null: the portal did not let us read seats. */
  seated: z.boolean().nullable(),
  away: z.boolean(),
  openLeads: z.number().int().nonnegative(),
});
export type OwnerView = z.infer<typeof ownerViewSchema>;

/** `GET /api/settings/handoff`. */
export const handOffViewSchema = z.object({
  settings: handOffSettingsSchema,
  mode: handOffModeSchema,
  owners: z.array(ownerViewSchema),
  stages: z.array(z.object({ id: z.string(), label: z.string() })),
  /** Median minutes from hand-off to first touch, overall and per owner (null: none yet). */
  firstTouch: z.object({
    medianMinutes: z.number().nullable(),
    breached: z.number().int().nonnegative(),
    handedOff: z.number().int().nonnegative(),
    byOwner: z.array(
      z.object({
        ownerId: z.string(),
        name: z.string(),
        handedOff: z.number().int().nonnegative(),
        medianMinutes: z.number().nullable(),
        breached: z.number().int().nonnegative(),
      }),
    ),
    bySource: z.array(
      z.object({
        source: z.string(),
        handedOff: z.number().int().nonnegative(),
        medianMinutes: z.number().nullable(),
      }),
    ),
  }),
});
export type HandOffView = z.infer<typeof handOffViewSchema>;

/** `POST /api/settings/handoff/preview`: who would get the leads handed off in the last week. */
export const routingPreviewSchema = z.object({
  contacts: z.number().int().nonnegative(),
  byOwner: z.array(
    z.object({ ownerId: z.string().nullable(), name: z.string(), leads: z.number().int() }),
  ),
  byRule: z.array(z.object({ rule: z.string(), leads: z.number().int() })),
  /** A few of them: who, to whom, by which rule. */
  sample: z.array(
    z.object({ contactId: z.string(), ownerName: z.string().nullable(), routedBy: z.string() }),
  ),
});
export type RoutingPreview = z.infer<typeof routingPreviewSchema>;

/** What the card shows of the contact's lead in sales. */
export const leadViewSchema = z.object({
  mode: z.enum(['leads', 'tasks']),
  leadId: z.string().nullable(),
  taskId: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  /** "Routed to Ann Lee: territory EMEA". */
  routedBy: z.string(),
  stage: z.string().nullable(),
  stageLabel: z.string().nullable(),
  handedOffAt: z.number(),
  firstTouchAt: z.number().nullable(),
  firstTouchDueAt: z.number(),
  breached: z.boolean(),
  outcome: z.enum(['open', 'qualified', 'disqualified']),
  /** Where the rep opens it in HubSpot. */
  url: z.string().nullable(),
});
export type LeadView = z.infer<typeof leadViewSchema>;
