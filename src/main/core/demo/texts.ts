/**
 * Text material for the demo portfolio: invented company words, placeholder people, and support-thread
 * templates with {slots}. Everything here is fiction; people carry obviously placeholder surnames and every
 * email address is under example.com / example.org.
 */

export type TicketKind =
  | 'how_to'
  | 'bug'
  | 'outage'
  | 'performance'
  | 'billing'
  | 'feature_request'
  | 'praise'
  | 'competitor'
  | 'cancellation'
  | 'data_export'
  | 'sso_access'
  | 'integration_general'
  | 'integration_sync'
  | 'onboarding'
  | 'on_hold'
  | 'mobile_crash';

export type Tone = 'neutral' | 'negative';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export const CUSTOMER_THANKS = [
  'Confirmed, it works now. Thanks for the help!',
  'All good on our side, thank you.',
  'Thanks {agent}, much appreciated.',
  'Works now. Thanks for sticking with it.',
];

export const CUSTOMER_TERSE = [
  'OK. This took far longer than it should have.',
  'Fine. Closing, but we expect better response times.',
  'It works for now. We will see if it holds.',
  'Noted.',
];

export const REPORTS = [
  'the pipeline report',
  'the weekly operations report',
  'the executive summary',
  'the regional performance report',
  'the SLA compliance report',
  'the inventory dashboard',
  'the monthly usage report',
];
export const SYSTEMS = [
  'the ERP',
  'the CRM',
  'the warehouse system',
  'the HR system',
  'the data warehouse',
  'the ticketing tool',
];
export const DEVICES = ['Android 15', 'iOS 19', 'older Android tablets', 'iPad'];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
export const AREA_LABELS: Record<string, string> = {
  reporting: 'reporting',
  integrations: 'integrations',
  billing: 'billing',
  sso: 'single sign-on',
  mobile: 'mobile app',
  api: 'API',
  dashboards: 'dashboards',
  workflows: 'workflows',
  permissions: 'permissions',
  notifications: 'notifications',
  data_export: 'data export',
};

// ---- people (placeholders) ----

export const FIRST_NAMES = [
  'Avery',
  'Jordan',
  'Riley',
  'Casey',
  'Morgan',
  'Taylor',
  'Quinn',
  'Parker',
  'Rowan',
  'Sage',
  'Drew',
  'Jamie',
  'Skyler',
  'Reese',
  'Emerson',
  'Finley',
  'Harper',
  'Kai',
  'Logan',
  'Marlowe',
  'Dana',
  'Robin',
  'Alex',
  'Sam',
  'Charlie',
  'Jesse',
  'Frankie',
  'Hayden',
  'Kendall',
  'Lane',
  'Micah',
  'Noel',
  'Oakley',
  'Peyton',
  'Remy',
  'Shay',
  'Tatum',
  'Wren',
  'Ari',
  'Blair',
  'Corey',
  'Devon',
  'Ellis',
  'Gray',
  'Hollis',
  'Indy',
  'Jules',
  'Kit',
];
export const SURNAMES = [
  'Sample',
  'Example',
  'Placeholder',
  'Demo',
  'Testwell',
  'Mockley',
  'Fakesworth',
  'Dummyfield',
  'Specimen',
  'Stubbs-Example',
  'Trialson',
  'Prototype',
  'Samplewood',
  'Demoray',
  'Fixture',
  'Lorem',
  'Ipsumford',
  'Mockton',
];

export const CONTACT_TITLES = [
  'Operations Manager',
  'Director of IT',
  'Systems Administrator',
  'Analytics Lead',
  'Finance Manager',
  'Head of Sales Operations',
  'Project Manager',
  'Business Analyst',
  'Procurement Manager',
  'Team Lead',
  'Data Engineer',
  'Customer Operations Specialist',
  'Revenue Operations Manager',
  'IT Manager',
];
export const CHAMPION_TITLES = [
  'VP Operations',
  'Director of Operations',
  'Head of Analytics',
  'VP Sales Operations',
  'Director of IT',
];
export const SPONSOR_TITLES = ['COO', 'CFO', 'CIO', 'Chief Revenue Officer', 'SVP Operations', 'CTO'];
export const SUPPORT_AGENTS = [
  'Kai Example',
  'Noel Sample',
  'Jules Testwell',
  'Remy Placeholder',
  'Shay Demo',
  'Ellis Mockley',
];

// ---- companies (invented words) ----

export const NAME_HEADS = [
  'Bright',
  'Quill',
  'Thistle',
  'Marrow',
  'Wren',
  'Corvel',
  'Dunmar',
  'Fennick',
  'Halden',
  'Kestle',
  'Lumen',
  'Morrow',
  'Norvel',
  'Pellam',
  'Quarry',
  'Rusk',
  'Selby',
  'Tamber',
  'Umber',
  'Veldt',
  'Wick',
  'Yarrow',
  'Zephy',
  'Amber',
  'Bracken',
  'Cinder',
  'Drift',
  'Ember',
  'Fallow',
  'Gorse',
  'Heron',
  'Ivor',
  'Juniper',
  'Kiln',
  'Larch',
  'Mistle',
  'Nettle',
  'Orrin',
  'Pike',
  'Rill',
  'Sorrel',
  'Tansy',
  'Vesper',
  'Willow',
  'Brisk',
  'Cobble',
  'Dapple',
];
export const NAME_TAILS = [
  'moor',
  'field',
  'stead',
  'haven',
  'crest',
  'brook',
  'vale',
  'wick',
  'mere',
  'holt',
  'gate',
  'shore',
  'ridge',
  'fold',
  'combe',
  'thorpe',
  'ley',
  'bury',
  'wald',
  'stone',
  'worth',
  'dell',
  'marsh',
  'cliff',
  'ford',
];
export const INDUSTRIES: readonly { key: string; nouns: readonly string[] }[] = [
  { key: 'logistics', nouns: ['Logistics', 'Freight', 'Shipping', 'Transport'] },
  { key: 'healthcare', nouns: ['Health', 'Medical', 'Clinics', 'Care Partners'] },
  { key: 'financial_services', nouns: ['Capital', 'Financial', 'Lending', 'Insurance'] },
  { key: 'manufacturing', nouns: ['Manufacturing', 'Industries', 'Fabrication', 'Components'] },
  { key: 'retail', nouns: ['Retail', 'Outfitters', 'Markets', 'Goods'] },
  { key: 'software', nouns: ['Analytics', 'Software', 'Labs', 'Systems'] },
  { key: 'education', nouns: ['Learning', 'Academy', 'Education', 'Schools'] },
  { key: 'energy', nouns: ['Energy', 'Power', 'Utilities', 'Renewables'] },
  { key: 'professional_services', nouns: ['Consulting', 'Advisory', 'Partners', 'Group'] },
  { key: 'media', nouns: ['Media', 'Studios', 'Publishing', 'Broadcast'] },
  { key: 'hospitality', nouns: ['Hospitality', 'Hotels', 'Resorts', 'Dining'] },
  { key: 'construction', nouns: ['Construction', 'Builders', 'Engineering', 'Contracting'] },
];

// ---- NPS comments ----

export const NPS_COMMENTS = {
  promoter: [
    'Great product and the support team is very responsive.',
    'Our CSM is fantastic. The dashboards save us hours every week.',
    'Reliable and easy to roll out to new teams.',
    'Love the workflow automation.',
    '',
  ],
  passive: [
    'Does the job. Reporting could be more flexible.',
    'Good overall, but some features feel unfinished.',
    'Fine for now. Support response times vary.',
    'Decent value, a few rough edges in the mobile app.',
    '',
  ],
  detractor: [
    'Too many bugs lately and slow responses from support.',
    'We are paying more every year and getting less.',
    'Outages during our busiest weeks. Hard to recommend.',
    'The product has not kept up with what we need.',
    'Nobody seems to own our account any more.',
    'We are looking at {competitor} because of the recurring problems.',
    'Integration problems keep breaking our data.',
  ],
};

// ---- engagement summaries ----

export const ENGAGEMENT_TEXT = {
  email: [
    'Sent recap of last call and links to the {area} guides.',
    'Shared release notes for this month and asked about rollout plans.',
    'Followed up on the open support ticket about {area}.',
    'Sent invitation to the upcoming customer webinar.',
    'Confirmed agenda for next check-in.',
  ],
  call: [
    'Call with {contact}: reviewed adoption in {area}, no blockers raised.',
    'Quick call with {contact} about the rollout to the regional teams.',
    'Call with {contact} on the open {area} issue; agreed next steps.',
  ],
  meeting: [
    'Monthly check-in with {contact}: usage stable, discussed {area} roadmap items.',
    'Working session on {area} configuration with {contact} and two admins.',
    'Adoption review with {contact}: identified {n} teams not yet onboarded.',
  ],
  qbr: [
    'QBR with {contact}: reviewed goals, usage trends and support history; agreed three priorities for next quarter.',
    'Quarterly business review: value summary presented, renewal timeline discussed.',
  ],
  exec: [
    'Executive touchpoint: {member} met the {sponsorTitle} to discuss strategic priorities and roadmap.',
    'Executive sponsor call between {member} and the {sponsorTitle}; relationship in good shape.',
    'Exec dinner with the {sponsorTitle}: discussed expansion to {n} more teams.',
  ],
  note: [
    'Account steady. Next QBR to be scheduled.',
    'Customer asked about {area} roadmap; shared with product.',
    'Admin turnover on customer side; re-sent onboarding materials.',
  ],
  noteConcern: [
    'Usage trending down in the last few weeks; asked {contact} whether priorities changed.',
    'Support tickets piling up around {area}; customer tone getting sharper.',
    'Customer mentioned they are looking at {competitor}.',
    'Champion {champion} has left the company; no replacement contact identified yet.',
    'Could not reach {contact} for two weeks; meetings keep getting declined.',
  ],
};
