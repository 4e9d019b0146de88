import type { EngagementObject } from '@lead-qualifier/contract';
import { relativeDay } from '@lead-qualifier/shared';
import type { Properties } from './conditions';
import { readString } from './values';

const KIND: Record<EngagementObject, string> = {
  calls: 'Call',
  emails: 'Email',
  meetings: 'Meeting',
  notes: 'Note',
  tasks: 'Task',
};

/** Where an engagement's words are: a note's body, a call's notes, an e-mail's subject. */
const TEXT: Partial<Record<EngagementObject, string>> = {
  notes: 'hs_note_body',
  calls: 'hs_call_body',
  emails: 'hs_email_subject',
  meetings: 'hs_meeting_title',
  tasks: 'hs_task_subject',
};

/** HubSpot stores note and call bodies as HTML: the words a person wrote. */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * An engagement as a rep recognises it: what it is, when, and its first words when the model
 * read them ("Note: “need a fix for lead routing…”, 3 days ago"), never its object id.
 */
export function describeEngagement(
  object: EngagementObject,
  properties: Properties,
  at: number | null,
  now: number,
): string {
  const when = at === null ? '' : `, ${relativeDay(at, now)}`;
  const property = TEXT[object];
  const raw = property ? readString(properties[property]) : null;
  const text = raw === null ? '' : plainText(raw);
  const quote = text === '' ? '' : `: “${text.length > 60 ? `${text.slice(0, 59)}…` : text}”`;
  // The date last: the card restates it as of when it is read.
  return `${KIND[object]}${quote}${when}`;
}
