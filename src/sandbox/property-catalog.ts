import type { ObjectType } from './object-types';

/** A property definition, in the fields of HubSpot's `Property` schema. */
export interface PropertyDef {
  name: string;
  label: string;
  type: 'string' | 'number' | 'enumeration' | 'date' | 'datetime' | 'bool' | 'phone_number';
  fieldType: string;
  description: string;
  groupName: string;
  options: Array<{
    label: string;
    value: string;
    displayOrder: number;
    hidden: boolean;
    description?: string;
  }>;
  displayOrder: number;
  hubspotDefined: boolean;
  hidden: boolean;
  calculated: boolean;
  hasUniqueValue: boolean;
  formField: boolean;
  /** HubSpot computes it: a write is refused. */
  readOnlyValue: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GroupDef {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const CATALOG_TIME = '2019-08-06T02:43:14.491Z';

const FIELD_TYPE: Record<PropertyDef['type'], string> = {
  string: 'text',
  number: 'number',
  enumeration: 'select',
  date: 'date',
  datetime: 'date',
  bool: 'booleancheckbox',
  phone_number: 'phonenumber',
};

type Spec = [
  name: string,
  type: PropertyDef['type'],
  options?: readonly string[],
  extra?: Partial<PropertyDef>,
];

/**
 * The labels HubSpot gives its default properties
 * (https://knowledge.hubspot.com/properties/hubspots-default-contact-properties,
 * https://knowledge.hubspot.com/properties/hubspot-crm-default-company-properties); the others
 * get their name, humanized.
 */
const HUBSPOT_LABELS: Record<string, string> = {
  email: 'Email',
  firstname: 'First Name',
  lastname: 'Last Name',
  jobtitle: 'Job Title',
  company: 'Company Name',
  phone: 'Phone Number',
  country: 'Country/Region',
  city: 'City',
  industry: 'Industry',
  website: 'Website URL',
  lifecyclestage: 'Lifecycle Stage',
  hs_lead_status: 'Lead Status',
  hs_seniority: 'Seniority',
  hs_buying_role: 'Buying Role',
  hs_analytics_source: 'Original Source',
  hs_analytics_num_page_views: 'Number of Pageviews',
  hs_analytics_num_visits: 'Number of Sessions',
  hs_analytics_last_url: 'Last Page Seen',
  num_conversion_events: 'Number of Form Submissions',
  recent_conversion_event_name: 'Recent Conversion',
  recent_conversion_date: 'Recent Conversion Date',
  first_conversion_event_name: 'First Conversion',
  first_conversion_date: 'First Conversion Date',
  hs_email_open: 'Marketing emails opened',
  hs_email_click: 'Marketing emails clicked',
  hs_email_bounce: 'Marketing emails bounced',
  hs_email_optout: 'Unsubscribed from all email',
  hs_email_hard_bounce_reason_enum: 'Email hard bounce reason',
  num_associated_deals: 'Number of Associated Deals',
  name: 'Company name',
  domain: 'Company Domain Name',
  numberofemployees: 'Number of Employees',
  annualrevenue: 'Annual Revenue',
};

/** The labels HubSpot shows for option values that do not read as words once humanized. */
const OPTION_LABELS: Record<string, string> = {
  cxo: 'CXO',
  vp: 'VP',
  SOCIAL_MEDIA: 'Organic Social',
  OFFLINE: 'Offline Sources',
  AI_REFERRALS: 'AI Referrals',
  LEGAL_AND_COMPLIANCE: 'Legal and Compliance',
  INFORMATION_TECHNOLOGY_AND_SERVICES: 'Information Technology and Services',
  MARKETING_AND_ADVERTISING: 'Marketing and Advertising',
  HOSPITAL_HEALTH_CARE: 'Hospital & Health Care',
};

/** "FINANCIAL_SERVICES" → "Financial Services", "director" → "Director": HubSpot's option labels. */
function optionLabel(value: string): string {
  return (
    OPTION_LABELS[value] ??
    value
      .toLowerCase()
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
  );
}

function define(group: string, specs: readonly Spec[]): PropertyDef[] {
  return specs.map(([name, type, options, extra], i) => ({
    name,
    label:
      HUBSPOT_LABELS[name] ??
      name
        .replace(/^hs_/, '')
        .replaceAll('_', ' ')
        .replace(/^./, (c) => c.toUpperCase()),
    type,
    fieldType: type === 'bool' ? 'booleancheckbox' : options ? 'select' : FIELD_TYPE[type],
    description: '',
    groupName: group,
    options: (type === 'bool' ? ['true', 'false'] : (options ?? [])).map((value, k) => ({
      label: type === 'bool' ? (value === 'true' ? 'Yes' : 'No') : optionLabel(value),
      value,
      displayOrder: k,
      hidden: false,
    })),
    displayOrder: i,
    hubspotDefined: true,
    hidden: false,
    calculated: false,
    hasUniqueValue: false,
    formField: false,
    readOnlyValue: false,
    createdAt: CATALOG_TIME,
    updatedAt: CATALOG_TIME,
    ...extra,
  }));
}

const readOnly = { readOnlyValue: true, calculated: true } as const;

const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

/** The default stages' labels (https://knowledge.hubspot.com/contacts/use-lifecycle-stages). */
const LIFECYCLE_LABELS: Record<(typeof LIFECYCLE_STAGES)[number], string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'Marketing Qualified Lead',
  salesqualifiedlead: 'Sales Qualified Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};
const lifecycleOptions = {
  options: LIFECYCLE_STAGES.map((value, displayOrder) => ({
    label: LIFECYCLE_LABELS[value],
    value,
    displayOrder,
    hidden: false,
  })),
};

export const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'INTERNET',
  'MARKETING_AND_ADVERTISING',
  'FINANCIAL_SERVICES',
  'COMPUTER_NETWORK_SECURITY',
  'RETAIL',
  'HOSPITAL_HEALTH_CARE',
  'HIGHER_EDUCATION',
  'MANUFACTURING',
  'CONSTRUCTION',
  'REAL_ESTATE',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'GOVERNMENT_ADMINISTRATION',
] as const;

const common = (type: ObjectType): Spec[] => [
  ['hs_object_id', 'number', undefined, readOnly],
  [
    type === 'contacts' || type === 'companies' || type === 'deals'
      ? 'createdate'
      : 'hs_createdate',
    'datetime',
    undefined,
    readOnly,
  ],
  [
    type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate',
    'datetime',
    undefined,
    readOnly,
  ],
  ['hubspot_owner_id', 'enumeration', undefined, { fieldType: 'select' }],
];

/** The default lead pipeline's id and its stages, in order, with the labels HubSpot gives them. */
export const LEAD_PIPELINE = 'lead-pipeline-id';
export const LEAD_STAGES = [
  { id: 'new-stage-id', label: 'New' },
  { id: 'attempting-stage-id', label: 'Attempting' },
  { id: 'connected-stage-id', label: 'Connected' },
  { id: 'qualified-stage-id', label: 'Qualified' },
  { id: 'unqualified-stage-id', label: 'Disqualified' },
] as const;
/** `hs_lead_disqualification_reason`'s default options. */
export const LEAD_DISQUALIFICATION_REASONS = [
  'NOT_A_GOOD_FIT',
  'NO_BUDGET',
  'BAD_TIMING',
  'NOT_THE_DECISION_MAKER',
  'NO_RESPONSE',
  'COMPETITOR',
  'OTHER',
] as const;

/** HubSpot's standard properties that the product and its tests touch, per object type. */
export function standardProperties(type: ObjectType): {
  properties: PropertyDef[];
  groups: GroupDef[];
} {
  const info = `${type === 'contacts' ? 'contact' : type.replace(/s$/, '')}information`;
  const groups: GroupDef[] = [
    { name: info, label: 'Information', displayOrder: 0, archived: false },
  ];
  const specs: Spec[] = [...common(type)];
  switch (type) {
    case 'contacts':
      groups.push(
        {
          name: 'analyticsinformation',
          label: 'Web analytics history',
          displayOrder: 1,
          archived: false,
        },
        { name: 'emailinformation', label: 'Email information', displayOrder: 2, archived: false },
        {
          name: 'conversioninformation',
          label: 'Conversion information',
          displayOrder: 3,
          archived: false,
        },
      );
      specs.push(
        ['email', 'string'],
        ['firstname', 'string'],
        ['lastname', 'string'],
        ['jobtitle', 'string'],
        ['company', 'string'],
        // The primary company's id, kept in step with the Primary association label.
        ['associatedcompanyid', 'number', undefined, { label: 'Primary Associated Company ID' }],
        ['phone', 'phone_number'],
        ['country', 'string'],
        ['city', 'string'],
        ['industry', 'string'],
        ['website', 'string'],
        ['lifecyclestage', 'enumeration', LIFECYCLE_STAGES, lifecycleOptions],
        [
          'hs_lead_status',
          'enumeration',
          [
            'NEW',
            'OPEN',
            'IN_PROGRESS',
            'OPEN_DEAL',
            'UNQUALIFIED',
            'ATTEMPTED_TO_CONTACT',
            'CONNECTED',
            'BAD_TIMING',
          ],
        ],
        [
          'hs_seniority',
          'enumeration',
          [
            'owner',
            'partner',
            'cxo',
            'vp',
            'director',
            'manager',
            'senior',
            'entry',
            'training',
            'unpaid',
          ],
        ],
        [
          'hs_buying_role',
          'enumeration',
          [
            'BLOCKER',
            'BUDGET_HOLDER',
            'CHAMPION',
            'DECISION_MAKER',
            'END_USER',
            'EXECUTIVE_SPONSOR',
            'INFLUENCER',
            'LEGAL_AND_COMPLIANCE',
            'OTHER',
          ],
          { fieldType: 'checkbox' },
        ],
        [
          'hs_analytics_source',
          'enumeration',
          [
            'ORGANIC_SEARCH',
            'PAID_SEARCH',
            'EMAIL_MARKETING',
            'SOCIAL_MEDIA',
            'REFERRALS',
            'OTHER_CAMPAIGNS',
            'DIRECT_TRAFFIC',
            'OFFLINE',
            'PAID_SOCIAL',
            'AI_REFERRALS',
          ],
        ],
        ['hs_analytics_num_page_views', 'number'],
        ['hs_analytics_num_visits', 'number'],
        ['hs_analytics_last_url', 'string'],
        ['hs_analytics_last_visit_timestamp', 'datetime'],
        ['num_conversion_events', 'number'],
        ['recent_conversion_event_name', 'string'],
        ['recent_conversion_date', 'datetime'],
        ['first_conversion_event_name', 'string'],
        ['first_conversion_date', 'datetime'],
        ['hs_email_open', 'number'],
        ['hs_email_click', 'number'],
        ['hs_email_bounce', 'number'],
        ['hs_email_last_open_date', 'datetime'],
        ['hs_email_last_click_date', 'datetime'],
        ['hs_sales_email_last_replied', 'datetime'],
        [
          'hs_email_hard_bounce_reason_enum',
          'enumeration',
          ['UNKNOWN_USER', 'MAILBOX_FULL', 'CONTENT', 'SPAM', 'POLICY', 'OTHER'],
        ],
        ['hs_email_optout', 'bool'],
        ['hs_last_sales_activity_timestamp', 'datetime'],
        ['hs_latest_meeting_activity', 'datetime'],
        ['notes_last_updated', 'datetime'],
        ['num_associated_deals', 'number', undefined, readOnly],
      );
      break;
    case 'companies':
      specs.push(
        ['name', 'string'],
        ['domain', 'string'],
        ['industry', 'enumeration', INDUSTRIES],
        ['numberofemployees', 'number'],
        ['annualrevenue', 'number'],
        ['country', 'string'],
        ['city', 'string'],
        ['lifecyclestage', 'enumeration', LIFECYCLE_STAGES, lifecycleOptions],
      );
      break;
    case 'deals':
      specs.push(
        ['dealname', 'string'],
        ['amount', 'number'],
        ['closedate', 'datetime'],
        ['pipeline', 'enumeration', ['default']],
        [
          'dealstage',
          'enumeration',
          [
            'appointmentscheduled',
            'qualifiedtobuy',
            'presentationscheduled',
            'decisionmakerboughtin',
            'contractsent',
            'closedwon',
            'closedlost',
          ],
        ],
        ['closed_lost_reason', 'string'],
      );
      break;
    case 'calls':
      specs.push(
        ['hs_timestamp', 'datetime'],
        ['hs_call_title', 'string'],
        ['hs_call_body', 'string'],
        ['hs_call_direction', 'enumeration', ['INBOUND', 'OUTBOUND']],
        ['hs_call_disposition', 'string'],
        ['hs_call_duration', 'number'],
        [
          'hs_call_status',
          'enumeration',
          [
            'BUSY',
            'CALLING_CRM_USER',
            'CANCELED',
            'COMPLETED',
            'CONNECTING',
            'FAILED',
            'IN_PROGRESS',
            'NO_ANSWER',
            'QUEUED',
            'RINGING',
          ],
        ],
      );
      break;
    case 'emails':
      specs.push(
        ['hs_timestamp', 'datetime'],
        ['hs_email_direction', 'enumeration', ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']],
        ['hs_email_subject', 'string'],
        ['hs_email_text', 'string'],
        ['hs_email_status', 'enumeration', ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT']],
      );
      break;
    case 'meetings':
      specs.push(
        ['hs_timestamp', 'datetime'],
        ['hs_meeting_title', 'string'],
        ['hs_meeting_body', 'string'],
        ['hs_meeting_start_time', 'datetime'],
        ['hs_meeting_end_time', 'datetime'],
        [
          'hs_meeting_outcome',
          'enumeration',
          ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'],
        ],
      );
      break;
    case 'notes':
      specs.push(['hs_timestamp', 'datetime'], ['hs_note_body', 'string']);
      break;
    case 'tasks':
      specs.push(
        ['hs_timestamp', 'datetime'],
        ['hs_task_subject', 'string'],
        ['hs_task_body', 'string'],
        [
          'hs_task_status',
          'enumeration',
          ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
        ],
        ['hs_task_priority', 'enumeration', ['NONE', 'LOW', 'MEDIUM', 'HIGH']],
        ['hs_task_type', 'enumeration', ['CALL', 'EMAIL', 'TODO']],
      );
      break;
    // https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide (the
    // common properties) and the default lead pipeline, New → Attempting → Connected →
    // Qualified / Disqualified (https://knowledge.hubspot.com/prospecting/use-the-leads-home-page).
    case 'leads':
      specs.push(
        ['hs_lead_name', 'string'],
        ['hs_lead_type', 'enumeration', ['NEW_BUSINESS', 'EXISTING_BUSINESS', 'RE_ATTEMPTING']],
        ['hs_lead_label', 'enumeration', ['HOT', 'WARM', 'COLD']],
        ['hs_pipeline', 'enumeration', [LEAD_PIPELINE]],
        ['hs_pipeline_stage', 'enumeration', LEAD_STAGES.map((s) => s.id)],
        ['hs_lead_disqualification_reason', 'enumeration', LEAD_DISQUALIFICATION_REASONS],
        ['hs_lead_disqualification_note', 'string'],
        ['hs_primary_contact_id', 'number', undefined, readOnly],
      );
      break;
    // https://developers.hubspot.com/docs/api-reference/latest/crm/objects/users/guide: a user's
    // CRM profile, with the availability reps set in the workspace.
    case 'users':
      specs.push(
        ['hs_internal_user_id', 'number', undefined, readOnly],
        ['hs_email', 'string', undefined, readOnly],
        ['hs_given_name', 'string'],
        ['hs_family_name', 'string'],
        ['hs_availability_status', 'enumeration', ['available', 'away']],
        ['hs_job_title', 'string'],
      );
      break;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown type ${String(unreachable)}`);
    }
  }
  return { properties: define(info, specs), groups };
}
