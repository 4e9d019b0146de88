import { Flex, Heading, Link, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import { contactUrl, NotLoaded, reasonLabel, SimpleTable, useLoaded } from '@lead-qualifier/ui-kit';

/** What sales said about the SQLs: acceptance, rejection reasons by rule and by grade. */
export function FeedbackPanel({
  base,
  portalId,
  ruleLabels,
}: {
  base: string;
  portalId: number;
  ruleLabels: Map<string, string>;
}) {
  const { data, error } = useLoaded(base, 'feedback');
  if (!data) return <NotLoaded what="Sales feedback" error={error} testId="feedback-error" />;
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
      <SimpleTable
        testId="reasons"
        headers={['Reason', 'SQLs']}
        rows={stats.reasons.map((r) => ({
          key: r.reason,
          cells: [reasonLabel(r.reason), r.count],
        }))}
      />
      <Heading>By rule that fired</Heading>
      <SimpleTable
        testId="by-rule"
        headers={['Rule', 'Accepted', 'Rejected', 'Reasons']}
        rows={stats.byRule.map((r) => ({
          key: r.rule,
          cells: [
            ruleLabels.get(r.rule) ?? r.rule,
            r.accepted,
            r.rejected,
            Object.entries(r.reasons)
              .map(([reason, n]) => `${reasonLabel(reason)} ${n}`)
              .join(', ') || '–',
          ],
        }))}
      />
      <Heading>By grade</Heading>
      <SimpleTable
        testId="by-grade"
        headers={['Grade', 'Accepted', 'Rejected']}
        rows={stats.byGrade.map((g) => ({
          key: g.grade,
          cells: [g.grade, g.accepted, g.rejected],
        }))}
      />
      <Heading>Latest</Heading>
      <SimpleTable
        testId="recent"
        headers={['Contact', 'Decision', 'By', 'Note']}
        rows={data.recent.map((f) => ({
          key: f.id,
          cells: [
            <Link
              key="contact"
              testId={`contact-${f.contactId}`}
              href={{ url: contactUrl(portalId, f.contactId), external: true }}
            >
              {f.contactName ?? `Contact ${f.contactId} (name not available)`}
            </Link>,
            f.decision === 'accepted' ? 'Accepted' : `Rejected: ${reasonLabel(f.reason ?? '')}`,
            f.by.userEmail ?? `user ${f.by.userId}`,
            f.note || '–',
          ],
        }))}
      />
    </Flex>
  );
}
