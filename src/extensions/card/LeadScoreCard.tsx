import { useEffect, useState } from 'react';
import {
  DescriptionList,
  DescriptionListItem,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  StatusTag,
  Tag,
  Text,
  type CrmContext,
  type ExtensionPointApiActions,
} from '@hubspot/ui-extensions';
import { CARD_PROPERTIES, toScoreState, type ScoreState } from './lq-properties';

export interface LeadScoreCardProps {
  context: CrmContext;
  actions: ExtensionPointApiActions<'crm.record.sidebar'>;
}

/** The sidebar card: the score, grade and status Lead Qualifier wrote on this contact. */
export function LeadScoreCard({ actions }: LeadScoreCardProps) {
  const [state, setState] = useState<ScoreState>({ kind: 'loading' });
  const { fetchCrmObjectProperties } = actions;

  useEffect(() => {
    let live = true;
    fetchCrmObjectProperties([...CARD_PROPERTIES]).then(
      (values) => live && setState(toScoreState(values)),
      (error: unknown) =>
        live &&
        setState({
          kind: 'error',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      live = false;
    };
  }, [fetchCrmObjectProperties]);

  switch (state.kind) {
    case 'loading':
      return <LoadingSpinner label="Loading the lead score" />;
    case 'error':
      return (
        <ErrorState title="The lead score could not be loaded">
          <Text>{state.message}</Text>
        </ErrorState>
      );
    case 'unscored':
      return (
        <EmptyState title="Not scored yet" layout="vertical">
          <Text>Lead Qualifier scores this contact after its next sync.</Text>
        </EmptyState>
      );
    case 'scored': {
      const p = state.properties;
      return (
        <Flex direction="column" gap="sm">
          <Flex direction="row" gap="xs" wrap="wrap">
            <Tag variant="default">Score {p.lq_score ?? '–'}</Tag>
            <Tag variant="default">Grade {p.lq_grade ?? '–'}</Tag>
            <StatusTag variant={p.lq_status === 'disqualified' ? 'danger' : 'success'}>
              {p.lq_status}
            </StatusTag>
          </Flex>
          <DescriptionList direction="column">
            <DescriptionListItem label="Why">
              <Text>{p.lq_top_reasons ?? '–'}</Text>
            </DescriptionListItem>
            <DescriptionListItem label="Scored">
              <Text>
                {p.lq_scored_at ?? '–'} (model v{p.lq_model_version ?? '?'})
              </Text>
            </DescriptionListItem>
          </DescriptionList>
        </Flex>
      );
    }
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
