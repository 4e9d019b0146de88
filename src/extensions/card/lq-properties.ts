/** The contact properties Lead Qualifier writes back (DESIGN section 5), read by the card. */
export const CARD_PROPERTIES = [
  'lq_score',
  'lq_grade',
  'lq_status',
  'lq_top_reasons',
  'lq_scored_at',
  'lq_model_version',
  'lifecyclestage',
] as const;

export type CardProperties = Record<(typeof CARD_PROPERTIES)[number], string | undefined>;

export type ScoreState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'unscored' }
  | { kind: 'scored'; properties: CardProperties };

export function toScoreState(values: Record<string, string | null | undefined>): ScoreState {
  const properties = Object.fromEntries(
    CARD_PROPERTIES.map((name) => [name, values[name] ?? undefined]),
  ) as CardProperties;
  if (!properties.lq_status || properties.lq_status === 'unscored') return { kind: 'unscored' };
  return { kind: 'scored', properties };
}
