/*
 * How the evidence reads: a property by the label the portal gives it, a value by its option's
 * label, money and counts formatted. The card, `lq_reasons` and the settings preview all show
 * what this writes, so a rep never reads an internal name ("numberofemployees") or an option's
 * internal value ("FINANCIAL_SERVICES").
 */
import type { PropertySummary } from '@lead-qualifier/contract';
import {
  emailDomain,
  isValidEmail,
  looksLikeEmail,
  readNumber,
  readString,
  type PropertyValue,
} from './values';

export type PropertyOwner = 'contact' | 'company';

/** What the wording needs of one property definition. */
type PropertyWords = Pick<PropertySummary, 'label' | 'type'> & {
  options: ReadonlyMap<string, string>;
};

export interface Wording {
  property(owner: PropertyOwner, name: string): PropertyWords | undefined;
}

/**
 * Labels of HubSpot's default properties the shipped model reads, as HubSpot names them
 * (https://knowledge.hubspot.com/properties/hubspots-default-contact-properties,
 * https://knowledge.hubspot.com/properties/hubspot-crm-default-company-properties): used when the
 * portal's own definitions could not be read, and by the offline tools.
 */
const DEFAULT_LABELS: Record<string, string> = {
  email: 'Email',
  firstname: 'First Name',
  lastname: 'Last Name',
  jobtitle: 'Job Title',
  company: 'Company Name',
  name: 'Company name',
  domain: 'Company Domain Name',
  website: 'Website URL',
  country: 'Country/Region',
  city: 'City',
  state: 'State/Region',
  industry: 'Industry',
  numberofemployees: 'Number of Employees',
  annualrevenue: 'Annual Revenue',
  hs_seniority: 'Seniority',
  hs_buying_role: 'Buying Role',
  hs_lead_status: 'Lead Status',
  lifecyclestage: 'Lifecycle Stage',
  hs_analytics_source: 'Original Source',
  hs_analytics_num_page_views: 'Number of Pageviews',
  hs_analytics_last_url: 'Last Page Seen',
  num_conversion_events: 'Number of Form Submissions',
  hs_email_open: 'Marketing emails opened',
  hs_email_click: 'Marketing emails clicked',
  hs_email_bounce: 'Marketing emails bounced',
  hs_email_optout: 'Unsubscribed from all email',
  hs_email_hard_bounce_reason_enum: 'Email hard bounce reason',
};

const MONEY = new Set(['annualrevenue', 'total_revenue', 'amount']);

/** "FINANCIAL_SERVICES" → "Financial services"; "vp" → "Vp" is left to the portal's labels. */
function humanize(value: string): string {
  if (!/^[A-Z0-9_]+$/.test(value) && !/_/.test(value)) return value;
  const words = value.toLowerCase().replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "internal_name" → "Internal name": a custom property the portal's list did not include. */
function labelOf(name: string): string {
  return DEFAULT_LABELS[name] ?? humanize(name.replace(/^hs_/, ''));
}

/** The wording without the portal's definitions: HubSpot's default labels, values humanized. */
export const DEFAULT_WORDING: Wording = {
  property: (_owner, name) =>
    DEFAULT_LABELS[name] === undefined
      ? undefined
      : { label: DEFAULT_LABELS[name]!, type: 'string', options: new Map() },
};

type Definition = Pick<PropertySummary, 'name' | 'label' | 'type' | 'options'>;

/** The portal's own labels (from its property definitions), HubSpot's defaults otherwise. */
export function wordingFrom(
  contacts: readonly Definition[],
  companies: readonly Definition[],
): Wording {
  const index = (list: readonly Definition[]) =>
    new Map(
      list.map((p) => [
        p.name,
        {
          label: p.label,
          type: p.type,
          options: new Map(p.options.map((o) => [o.value, o.label])),
        },
      ]),
    );
  const byOwner = { contact: index(contacts), company: index(companies) };
  return {
    property: (owner, name) => byOwner[owner].get(name) ?? DEFAULT_WORDING.property(owner, name),
  };
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One value as the portal shows it: its option's label, money and counts formatted. */
function describeValue(wording: Wording, owner: PropertyOwner, name: string, raw: string): string {
  const words = wording.property(owner, name);
  // A multiple checkbox holds its options joined by ";".
  if (words && words.options.size > 0)
    return raw
      .split(';')
      .map((v) => words.options.get(v) ?? humanize(v))
      .join(', ');
  const n = readNumber(raw);
  if (n !== null && MONEY.has(name)) return `$${compact.format(n)}`;
  if (n !== null && words?.type === 'number') return whole.format(n);
  // An option's internal value the portal's list did not name (or no list was read).
  if (/^[A-Z0-9_]+$/.test(raw) && raw.includes('_')) return humanize(raw);
  return truncate(raw, 60);
}

/**
 * What a rule saw on the contact or its company, in words: "Job Title: VP Sales",
 * "Annual Revenue: $53.8M", "616 employees", "Industry: Financial Services".
 */
export function describeProperty(
  wording: Wording,
  owner: PropertyOwner,
  name: string,
  value: PropertyValue,
): string {
  const label = wording.property(owner, name)?.label ?? labelOf(name);
  const whose = owner === 'company' ? "Company's " : '';
  const text = readString(value);
  if (text === null) return `${whose}${label} is empty`;
  // An address is personal: the evidence names what the model read of it, its domain.
  if (looksLikeEmail(text)) {
    const domain = emailDomain(text);
    return domain && isValidEmail(text)
      ? `${whose}${label} domain: ${domain}`
      : `${whose}${label} is not a valid address`;
  }
  const employees = name === 'numberofemployees' ? readNumber(text) : null;
  if (employees !== null) return `${whole.format(employees)} employees`;
  return `${whose}${label}: ${describeValue(wording, owner, name, text)}`;
}
