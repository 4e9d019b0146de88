import { useEffect, useState } from 'react';
import {
  Alert,
  Flex,
  Heading,
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { FeedbackRecord, FeedbackStats } from '../../server/storage/feedback-store';
import { callApi, messageOf } from '../shared/api';
import { REASON_OPTIONS } from '../card/FeedbackForm';

const reasonLabel = (r: string) => REASON_OPTIONS.find((o) => o.value === r)?.label ?? r;

/** What sales said about the SQLs: acceptance, rejection reasons by rule and by grade. */
export function FeedbackPanel({ base }: { base: string }) {
  const [data, setData] = useState<{ stats: FeedbackStats; recent: FeedbackRecord[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    callApi<{ stats: FeedbackStats; recent: FeedbackRecord[] }>(
      base,
      '/api/settings/feedback',
    ).then(setData, (e: unknown) => setError(messageOf(e)));
  }, [base]);

  if (error)
    return (
      <Alert title="Sales feedback could not be loaded" variant="danger" testId="feedback-error">
        {error}
      </Alert>
    );
  if (!data) return <LoadingSpinner label="Loading sales feedback" />;
  const { stats } = data;
  if (stats.accepted + stats.rejected === 0)
    return (
      <Text testId="no-feedback">
        No SQL has been accepted or rejected yet. Reps do it from the Lead Qualifier card on a
        contact.
      </Text>
    );
  return (
    <Flex direction="column" gap="md" testId="feedback">
      <Statistics>
        <StatisticsItem label="Accepted SQLs" number={stats.accepted} />
        <StatisticsItem label="Rejected SQLs" number={stats.rejected} />
        <StatisticsItem
          label="Acceptance rate"
          number={
            stats.acceptanceRate === null ? '–' : `${Math.round(stats.acceptanceRate * 100)}%`
          }
        />
      </Statistics>
      <Heading>Rejection reasons</Heading>
      <Table testId="reasons">
        <TableHead>
          <TableRow>
            <TableHeader>Reason</TableHeader>
            <TableHeader>SQLs</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {stats.reasons.map((r) => (
            <TableRow key={r.reason}>
              <TableCell>{reasonLabel(r.reason)}</TableCell>
              <TableCell>{r.count}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Heading>By rule that fired</Heading>
      <Table testId="by-rule">
        <TableHead>
          <TableRow>
            <TableHeader>Rule</TableHeader>
            <TableHeader>Accepted</TableHeader>
            <TableHeader>Rejected</TableHeader>
            <TableHeader>Reasons</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {stats.byRule.map((r) => (
            <TableRow key={r.rule}>
              <TableCell>{r.rule}</TableCell>
              <TableCell>{r.accepted}</TableCell>
              <TableCell>{r.rejected}</TableCell>
              <TableCell>
                {Object.entries(r.reasons)
                  .map(([reason, n]) => `${reasonLabel(reason)} ${n}`)
                  .join(', ') || '–'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Heading>By grade</Heading>
      <Table testId="by-grade">
        <TableHead>
          <TableRow>
            <TableHeader>Grade</TableHeader>
            <TableHeader>Accepted</TableHeader>
            <TableHeader>Rejected</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {stats.byGrade.map((g) => (
            <TableRow key={g.grade}>
              <TableCell>{g.grade}</TableCell>
              <TableCell>{g.accepted}</TableCell>
              <TableCell>{g.rejected}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
