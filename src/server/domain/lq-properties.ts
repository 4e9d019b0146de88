import {
  REJECTION_REASONS,
  REJECTION_REASON_LABELS,
  type RejectionReason,
} from '@lead-qualifier/shared';
/**
 * The contact properties Lead Qualifier writes (DESIGN section 5). Their names are a public
 * contract: HubSpot workflows trigger on them. Enumeration values are stable ids.
 */
export const LQ_GROUP = {
  name: 'lead_qualifier',
  label: 'Lead Qualifier',
  displayOrder: -1,
} as const;

export interface LqPropertyDef {
  name: string;
  label: string;
  description: string;
  type: 'number' | 'string' | 'enumeration' | 'datetime' | 'bool';
  fieldType: 'number' | 'text' | 'textarea' | 'select' | 'date' | 'booleancheckbox';
  options?: ReadonlyArray<{ value: string; label: string }>;
}

export type { RejectionReason };

export const LQ_PROPERTIES = [
  {
    name: 'lq_score',
    label: 'LQ score',
    type: 'number',
    fieldType: 'number',
    description: 'Lead score, 0–100: fit points plus engagement points after decay.',
  },
  {
    name: 'lq_fit_score',
    label: 'LQ fit score',
    type: 'number',
    fieldType: 'number',
    description: 'How well the contact and its company match the ideal customer profile, 0–100.',
  },
  {
    name: 'lq_engagement_score',
    label: 'LQ engagement score',
    type: 'number',
    fieldType: 'number',
    description: 'What the contact did and how recently, 0–100.',
  },
  {
    name: 'lq_grade',
    label: 'LQ grade',
    type: 'enumeration',
    fieldType: 'select',
    description: 'Fit grade: A (best) to D.',
    options: ['A', 'B', 'C', 'D'].map((v) => ({ value: v, label: v })),
  },
  {
    name: 'lq_status',
    label: 'LQ status',
    type: 'enumeration',
    fieldType: 'select',
    description:
      'Qualification: unscored, lead, MQL, ready for sales (until a rep accepts it), SQL, disqualified or recycled.',
    options: [
      { value: 'unscored', label: 'Not scored yet' },
      { value: 'lead', label: 'Lead' },
      { value: 'mql', label: 'MQL' },
      { value: 'ready', label: 'Ready for sales' },
      { value: 'sql', label: 'SQL' },
      { value: 'disqualified', label: 'Disqualified' },
      { value: 'recycled', label: 'Recycled' },
    ],
  },
  {
    name: 'lq_top_reasons',
    label: 'LQ top reasons',
    type: 'string',
    fieldType: 'textarea',
    description: 'The rules that weigh most in the score, with their points.',
  },
  {
    name: 'lq_scored_at',
    label: 'LQ scored at',
    type: 'datetime',
    fieldType: 'date',
    description: 'When the values above last changed.',
  },
  {
    name: 'lq_model_version',
    label: 'LQ model version',
    type: 'number',
    fieldType: 'number',
    description: 'The model version that scored the contact.',
  },
  {
    name: 'lq_mql_date',
    label: 'LQ MQL date',
    type: 'datetime',
    fieldType: 'date',
    description: 'When the contact first became an MQL (empty until then).',
  },
  {
    name: 'lq_ready_date',
    label: 'LQ ready for sales date',
    type: 'datetime',
    fieldType: 'date',
    description: 'When the model first found the contact ready for sales: the hand-off to a rep.',
  },
  {
    name: 'lq_sql_date',
    label: 'LQ SQL date',
    type: 'datetime',
    fieldType: 'date',
    description: 'When the contact first became an SQL (empty until then).',
  },
  {
    name: 'lq_sql_feedback',
    label: 'LQ SQL feedback',
    type: 'enumeration',
    fieldType: 'select',
    description: 'Whether sales accepted or rejected the SQL.',
    options: [
      { value: 'none', label: 'No feedback' },
      { value: 'accepted', label: 'Accepted' },
      { value: 'rejected', label: 'Rejected' },
    ],
  },
  {
    name: 'lq_sql_feedback_at',
    label: 'LQ SQL feedback at',
    type: 'datetime',
    fieldType: 'date',
    description: 'When sales gave its feedback.',
  },
  {
    name: 'lq_rejection_reason',
    label: 'LQ rejection reason',
    type: 'enumeration',
    fieldType: 'select',
    description: 'Why sales rejected the SQL.',
    options: [
      { value: 'none', label: 'None' },
      ...REJECTION_REASONS.map((value) => ({ value, label: REJECTION_REASON_LABELS[value] })),
    ],
  },
  {
    name: 'lq_sla_due_at',
    label: 'LQ SLA due at',
    type: 'datetime',
    fieldType: 'date',
    description: 'When sales should have acted on this SQL.',
  },
  {
    name: 'lq_sla_breached',
    label: 'LQ SLA breached',
    type: 'bool',
    fieldType: 'booleancheckbox',
    description:
      'Yes when the SLA due time passed with the SQL neither accepted nor rejected and no sales activity logged.',
    options: [
      { value: 'true', label: 'Yes' },
      { value: 'false', label: 'No' },
    ],
  },
  {
    name: 'lq_sla_breached_at',
    label: 'LQ SLA breached at',
    type: 'datetime',
    fieldType: 'date',
    description: 'When the SLA was found breached.',
  },
] as const satisfies readonly LqPropertyDef[];

/** The name of a property Lead Qualifier writes: a write of any other name does not compile. */
export type LqPropertyName = (typeof LQ_PROPERTIES)[number]['name'];

export const LQ_PROPERTY_NAMES: readonly LqPropertyName[] = LQ_PROPERTIES.map((p) => p.name);

/**
 * Names the set of properties and their options: a portal holding an older set gets the new
 * properties created and the new options added.
 */
export const LQ_PROPERTY_SET = (LQ_PROPERTIES as readonly LqPropertyDef[])
  .map((p) => (p.options ? `${p.name}(${p.options.map((o) => o.value).join('|')})` : p.name))
  .join(',');
