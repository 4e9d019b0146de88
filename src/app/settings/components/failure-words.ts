import type { EngagementObject, FailureRecord } from '@lead-qualifier/contract';
import { ACTIVITY } from './model-edit';

/**
 * What a job that failed for good was doing, and what that leaves undone, in an admin's words
 * (the job's name is the backend's business).
 */
export function failureWords(failure: FailureRecord): { what: string; effect: string } {
  const d = failure.data;
  const contact = typeof d['contactId'] === 'string' ? d['contactId'] : null;
  switch (failure.job) {
    case 'setup-portal':
      return {
        what: 'Setting up Lead Qualifier in this account',
        effect: 'Its properties or the first backfill may be missing: reinstall the app.',
      };
    case 'backfill-page':
      return {
        what: 'Scoring a page of contacts during a full rescore',
        effect: 'Those contacts keep their old scores until they change or the next full rescore.',
      };
    case 'backfill-recent':
      return {
        what: 'Scoring a page of recently active contacts at the start of a full rescore',
        effect:
          'Those contacts keep their old scores until they change or the next full rescore; the rest of the rescore goes on.',
      };
    case 'rescore':
      return {
        what: 'Rescore now, asked from the card',
        effect: 'The contact keeps its last score: ask again from the card.',
      };
    case 'rescore-pending':
      return {
        what: 'Rescoring contacts changed in HubSpot',
        effect: 'They are picked up again by the next catch-up (every few minutes).',
      };
    case 'engagement-created': {
      const kind = ACTIVITY[d['objectType'] as EngagementObject]?.noun ?? 'activity';
      return {
        what: `Reading a new ${kind} logged in HubSpot`,
        effect: `The contacts it is on count it from their next change or the next catch-up.`,
      };
    }
    case 'engagements-created':
      return {
        what: 'Reading the calls, e-mails, meetings and notes logged in HubSpot',
        effect: 'The contacts they are on count them from their next change or the next catch-up.',
      };
    case 'contact-deleted':
      return {
        what: 'Removing the scores of a contact deleted in HubSpot',
        effect: 'Its scores stay stored until the next full rescore clears them.',
      };
    case 'contacts-deleted': {
      const n = Array.isArray(d['contactIds']) ? d['contactIds'].length : 0;
      return {
        what: `Removing the scores of ${n === 1 ? 'a contact' : `${n || 'some'} contacts`} deleted in HubSpot`,
        effect: 'Their scores stay stored until the next full rescore clears them.',
      };
    }
    case 'contact-erased':
      return {
        what: 'Erasing a contact’s data after a privacy deletion',
        effect: 'Contact your Lead Qualifier operator: the erasure must be completed.',
      };
    case 'sql-feedback':
      return {
        what: 'Saving a rep’s accept or reject of an SQL',
        effect:
          'The decision is kept here, but the contact’s properties in HubSpot may not show it.',
      };
    case 'rescore-portal':
      return {
        what: 'Rescoring every contact after a publish or a rollback',
        effect: 'Contacts keep scores from the previous version: publish or roll back again.',
      };
    case 'purge-portal':
      return {
        what: 'Erasing the data of an account that uninstalled the app',
        effect: 'Contact your Lead Qualifier operator: the erasure must be completed.',
      };
    case 'catch-up':
      return {
        what: 'Catching up on changes made while HubSpot refused the app’s credentials',
        effect:
          'Contacts changed then keep their old scores until they change again or the next full rescore.',
      };
    case 'preview':
      return { what: 'Running a preview', effect: 'Run the preview again.' };
    case 'train':
      return {
        what: 'Training a model from your closed deals',
        effect: 'Start the training again.',
      };
    case 'drift-check':
      return {
        what: 'Checking each grade against how often it converts',
        effect: 'The Learning tab shows the last check that worked.',
      };
    case 'hand-off':
      return {
        what: `Handing contact ${contact ?? ''} to sales`.replace('  ', ' '),
        effect:
          'No lead or task was made for it: hand it over from its card (Hand to sales) once the problem is fixed.',
      };
    case 'leads-changed':
      return {
        what: 'Reading leads sales changed in HubSpot',
        effect:
          'Their stage reaches the card and the feedback report with the next sweep of open leads (every ten minutes).',
      };
    case 'leads-sweep':
      return {
        what: 'Reading the open leads again',
        effect: 'Stage changes sales made without a webhook wait for the next sweep (ten minutes).',
      };
    case 'first-touch-check':
      return {
        what: 'Checking a hand-off’s first touch at its due time',
        effect:
          'A missed first touch may not be flagged for that contact; its lead still shows its stage.',
      };
    case 'sla-check':
      return {
        what: 'Checking an SQL’s follow-up deadline',
        effect: 'A missed follow-up on this contact may not be flagged.',
      };
    case 'sweep':
      return {
        what: 'The periodic catch-up of changes HubSpot did not send',
        effect: 'It runs again in a few minutes.',
      };
    default:
      return {
        what: contact ? `Work on a contact (${failure.job})` : `Background work (${failure.job})`,
        effect: 'It was retried and gave up.',
      };
  }
}
