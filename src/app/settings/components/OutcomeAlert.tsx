import { Alert, List, Text } from '@hubspot/ui-extensions';

/** What the last action on the page did: saved, published, refused (with the problems listed). */
export type Outcome = {
  variant: 'success' | 'danger' | 'warning' | 'info';
  title: string;
  text: string;
  list?: string[];
};

export function OutcomeAlert({ outcome }: { outcome: Outcome }) {
  return (
    <Alert title={outcome.title} variant={outcome.variant} testId="outcome">
      {outcome.text}
      {outcome.list && (
        <List variant="unordered">
          {outcome.list.map((line) => (
            <Text key={line}>{line}</Text>
          ))}
        </List>
      )}
    </Alert>
  );
}
