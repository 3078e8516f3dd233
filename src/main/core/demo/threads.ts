/**
 * Support-thread templates for the demo portfolio. Each ticket kind has topics; a topic keeps its subject,
 * opening message, first reply and closing coherent, and offers several phrasings of each. {slots} are
 * filled per ticket (see the generator). Complaints deliberately include ones with no sentiment words.
 */
import type { Priority, TicketKind, Tone } from './texts';

export interface Topic {
  /** Product areas this topic belongs to; empty = the kind's areas, with {area} in the text. */
  areas: readonly string[];
  subjects: readonly string[];
  open: Record<Tone, readonly string[]>;
  agent: readonly string[];
  close?: readonly string[];
}

export interface ThreadKind {
  category: string;
  areas: readonly string[];
  topics: readonly Topic[];
  follow: Record<Tone, readonly string[]>;
  close: readonly string[];
  priority: Record<Tone, readonly (readonly [Priority, number])[]>;
}

type Weights = readonly (readonly [Priority, number])[];
const P_LOW: Weights = [
  ['low', 5],
  ['normal', 4],
  ['high', 1],
];
const P_NORMAL: Weights = [
  ['low', 2],
  ['normal', 6],
  ['high', 2],
];
const P_HIGH: Weights = [
  ['normal', 3],
  ['high', 5],
  ['urgent', 2],
];
const P_URGENT: Weights = [
  ['high', 4],
  ['urgent', 6],
];

const DEFECT_FOLLOW: Record<Tone, readonly string[]> = {
  neutral: [
    'Thanks for looking into it. It last happened around 9:40 our time; the affected user is our {area} admin.',
    'Appreciated. Any estimate on when a fix could be available?',
    'Here are the extra details you asked for. Let us know if you need anything else.',
    'Thanks. We can live with the workaround for a few days.',
  ],
  negative: [
    'It has been {days} days. We need an actual date for the fix, not another update saying you are investigating.',
    'The workaround does not work for us. Please escalate this.',
    'We are still seeing the problem this morning. Our team is now doing this by hand in spreadsheets.',
    'Any news? Our managers keep asking me and I have nothing to tell them.',
  ],
};

const DEFECT_CLOSE = [
  'Hi {first}, engineering deployed a fix this morning. Could you confirm it works on your side? I will close this ticket in three days if we do not hear back.',
  'Hello {first}, following up: the issue is resolved in the latest release. Marking this as solved; reply here if anything comes back.',
  'Hi {first}, we have confirmed the fix in production for your workspace. Closing this out, thank you for your patience.',
];

export const THREADS: Record<TicketKind, ThreadKind> = {
  how_to: {
    category: 'question',
    areas: ['reporting', 'dashboards', 'workflows', 'permissions', 'api'],
    topics: [
      {
        areas: ['reporting'],
        subjects: [
          'Question about scheduling {report}',
          'How do we schedule {report}?',
          'Weekly delivery of {report}',
        ],
        open: {
          neutral: [
            'How do we set up {report} so it goes out every Monday to our regional leads? I could not find the option in the settings.',
            'Is it possible to email {report} automatically each week? We currently export it by hand.',
          ],
          negative: [
            'I have asked this twice already: how do we schedule {report}? The help article you sent describes screens we do not have.',
            'Third time asking. Where is the setting to send {report} weekly? Our team needs this before {weekday}.',
          ],
        },
        agent: [
          'Hi {first}, go to Reporting > Schedules, choose "New schedule", and pick the recipients and the day. I have attached a short guide with screenshots.',
          'Hello {first}, schedules live under the report menu (the clock icon). Pick weekly, Monday 07:00, and add the regional leads as recipients.',
        ],
        close: [
          'Hi {first}, glad that worked. Skipping public holidays is on the roadmap and I have added your vote. Closing this for now.',
        ],
      },
      {
        areas: ['permissions'],
        subjects: ['Setting up role permissions for a new team', 'Read-only access for new users'],
        open: {
          neutral: [
            'We have {n} new users joining next week. What is the recommended way to give them read-only access without exposing billing?',
          ],
          negative: [
            'We have spent most of the week trying to configure permissions for the new team. Your documentation is out of date and our admin is stuck.',
          ],
        },
        agent: [
          'Hi {first}, you can do this from Settings > Roles: create a role with read-only access and assign it to the new users in bulk from the Users page.',
        ],
      },
      {
        areas: ['permissions'],
        subjects: ['Permissions for contractors', 'Limiting access to one workspace'],
        open: {
          neutral: ['We are bringing in contractors for a project. Can we limit them to a single workspace?'],
          negative: [
            'We asked last week how to restrict contractor access and still have no answer. They start on {weekday}.',
          ],
        },
        agent: [
          'Hello {first}, workspace-scoped roles are available on your plan. I have sent the steps; happy to do a quick screen share.',
        ],
      },
      {
        areas: ['dashboards'],
        subjects: ['Best way to filter dashboards by region?', 'Saving a default dashboard view'],
        open: {
          neutral: [
            'Is there a way to filter the main dashboard by region and save that as a default view? Thanks in advance.',
          ],
          negative: [
            'Every time we open the dashboard the region filter is gone and we set it again. Is there really no default view?',
          ],
        },
        agent: [
          'Hi {first}, saved views are under the filter bar: set the region filter, then "Save as default". Happy to walk through it on a call.',
        ],
      },
      {
        areas: ['dashboards'],
        subjects: ['Sharing a dashboard with external users', 'Dashboard access for partners'],
        open: {
          neutral: [
            'How do I share a dashboard with people outside our company without giving them a login?',
          ],
          negative: [
            'We still cannot work out how to share dashboards with our partners. This should not take a week to figure out.',
          ],
        },
        agent: [
          'Hello {first}, you can create a public link under Share > Link access; links can expire and be password protected.',
        ],
      },
      {
        areas: ['api'],
        subjects: ['Where do I find API rate limits?', 'API documentation for {system}'],
        open: {
          neutral: ['Could you point me to documentation for the API? We want to pull data into {system}.'],
          negative: [
            'Nobody has been able to tell us what the API limits are. We have asked in three tickets.',
          ],
        },
        agent: [
          'Hi {first}, the reference documentation is in the developer portal. The rate limit is {n}00 requests per minute per workspace.',
        ],
      },
      {
        areas: ['workflows'],
        subjects: ['Can we copy a workflow to another team?', 'Duplicating a workflow'],
        open: {
          neutral: [
            'We would like to duplicate an existing workflow for another team. Is there a copy function or do we rebuild it?',
          ],
          negative: [
            'We rebuilt the same workflow by hand for the third team now. Is there really no copy function?',
          ],
        },
        agent: [
          'Hello {first}, use "Duplicate" in the workflow menu, then change the team in the first step. It keeps all the rules.',
        ],
      },
    ],
    follow: {
      neutral: [
        'Thanks, that worked. One more question: can it skip public holidays?',
        'Got it, thank you. Can we apply that to a whole group at once?',
        'That helps, thanks. We will try it with the regional team this week.',
      ],
      negative: [
        'That menu does not exist in our workspace. Can someone just get on a call with us?',
        'We tried that and it still does not do what we need.',
      ],
    },
    close: [
      'Hi {first}, glad that sorted it. Marking this as solved; reply here any time.',
      'Hello {first}, I have booked a 30-minute session with our onboarding specialist for {weekday}. Marking this as solved; the invite is in your inbox.',
    ],
    priority: { neutral: P_LOW, negative: P_NORMAL },
  },

  bug: {
    category: 'defect',
    areas: ['reporting', 'dashboards', 'workflows', 'notifications', 'permissions'],
    topics: [
      {
        areas: ['reporting'],
        subjects: [
          'Totals in {report} do not match the raw data',
          'Wrong numbers in {report}',
          'Report totals off by {pct}%',
        ],
        open: {
          neutral: [
            'The totals in {report} are off by about {pct}% compared with the underlying records. Can you take a look? Example attached.',
            'We noticed {report} double counts some rows when grouped by region. Screenshot attached.',
          ],
          negative: [
            'The numbers in {report} are wrong again. We presented these figures to our leadership and had to retract them. This is unacceptable.',
            'For the second month in a row {report} shows totals that do not match our records. Nobody trusts the report any more.',
          ],
        },
        agent: [
          'Hi {first}, thank you for the example. I can reproduce the mismatch and have passed it to the reporting team as a defect.',
          'Hello {first}, we found that rows edited after midnight UTC were counted twice. Engineering is preparing a fix.',
        ],
      },
      {
        areas: ['dashboards'],
        subjects: [
          'Dashboard widgets show "No data" since yesterday',
          'Empty dashboard widgets',
          'Dashboards broken',
        ],
        open: {
          neutral: [
            'Since yesterday several dashboard widgets show "No data" even though the data is there. We have tried two browsers.',
          ],
          negative: [
            'Our dashboards have been broken for {days} days now. Nobody on our side trusts the data anymore and I am running out of ways to explain this.',
            'Half the widgets on our main dashboard are empty again. Our managers are asking me why and I have no answer.',
          ],
        },
        agent: [
          'Hi {first}, thanks for the report. I have reproduced the empty widgets on our side and passed the details to the dashboards team.',
          'Hello {first}, could you send the time it last happened and the dashboard link, so we can pull the logs?',
        ],
      },
      {
        areas: ['dashboards'],
        subjects: ['Error 500 when saving a dashboard', 'Cannot save dashboard changes'],
        open: {
          neutral: [
            'We get an error 500 when saving a dashboard with more than ten widgets. Steps to reproduce are below.',
          ],
          negative: [
            'Saving a dashboard fails every single time. We have wasted hours on this and still have no fix.',
          ],
        },
        agent: [
          'Hi {first}, thank you for the steps. I can reproduce the error with more than ten widgets and have raised it with engineering.',
        ],
      },
      {
        areas: ['workflows'],
        subjects: ['Workflow step skipped for some records', 'Approval step not triggering'],
        open: {
          neutral: [
            'One of our workflows skipped the approval step for {n} records last night. Is this a known issue?',
          ],
          negative: [
            'This is the second time this month a workflow silently skipped records. We are losing confidence in the platform.',
            'Approvals are not triggering again. Purchase orders went out without sign-off.',
          ],
        },
        agent: [
          'Hi {first}, thank you. I see the skipped step in the run history and have linked it to an engineering ticket with high priority.',
        ],
      },
      {
        areas: ['workflows'],
        subjects: ['Workflow ran twice overnight', 'Duplicate tasks from a scheduled workflow'],
        open: {
          neutral: [
            'A scheduled workflow ran twice overnight and created duplicate tasks. Could you check the run history?',
          ],
          negative: [
            'Our scheduled workflow ran twice again and created {n} duplicate tasks. My team spent the morning deleting them.',
          ],
        },
        agent: [
          'Hello {first}, the duplicate run came from a scheduler retry. We are fixing the retry logic; in the meantime I have cleaned up the duplicate tasks.',
        ],
      },
      {
        areas: ['notifications'],
        subjects: ['Notification emails going to the wrong users', 'Alerts not sent'],
        open: {
          neutral: [
            'Notification emails for one team are going to users in another team. Could you check the routing?',
          ],
          negative: [
            'Overdue alerts stopped going out on {weekday} and nobody noticed until a customer complained to us.',
          ],
        },
        agent: [
          'Hi {first}, thanks for flagging this. I have reproduced the routing issue and escalated it to the notifications team.',
        ],
      },
      {
        areas: ['permissions'],
        subjects: ['Users see records they should not', 'Permission leak between departments'],
        open: {
          neutral: [
            'A user in our sales team can open records that belong to finance. Is the role set up wrong?',
          ],
          negative: [
            'Users in one department can see records from another department. This is a serious problem for us.',
          ],
        },
        agent: [
          'Hello {first}, I have restricted the affected role as a precaution and opened a defect with engineering.',
        ],
      },
    ],
    follow: DEFECT_FOLLOW,
    close: DEFECT_CLOSE,
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },

  outage: {
    category: 'outage',
    areas: ['dashboards', 'api', 'reporting', 'sso'],
    topics: [
      {
        areas: [],
        subjects: [
          'Platform down for our whole team',
          'URGENT: service unavailable',
          'Site not loading since {hour}:00',
          'API returning 503 errors',
        ],
        open: {
          neutral: [
            'None of our users can load the platform right now. We get a "service unavailable" page. Is there an incident?',
            'Our API calls have been returning 503 since about {hour}:00 UTC. Please advise.',
          ],
          negative: [
            'The platform has been down for {hours} hours during our month-end close. We have {n} people sitting idle. We need someone on this now.',
            'Second outage in two weeks. Our operations team cannot work. I want an incident report and a call with someone senior.',
            'We cannot log in at all. Nobody answered the phone line and the status page still says all systems operational.',
            'Everything is down again. We are paying for uptime we are not getting.',
          ],
        },
        agent: [
          'Hi {first}, we are aware of an incident affecting some workspaces and engineering is actively working on it. Updates are on the status page every 30 minutes.',
          'Hello {first}, I am sorry for the disruption. Service was restored at {hour}:45 UTC. A root-cause report will follow within 48 hours.',
          'Hi {first}, thank you for flagging this. The incident is mitigated; I will send the post-incident review once it is published.',
        ],
      },
    ],
    follow: {
      neutral: ['Thanks, we can see things coming back. Please send the incident report when ready.'],
      negative: [
        'Restored is not good enough. This cost us a full day. What are you changing so this does not happen again?',
        'We still see errors for some users. And the status page was wrong the whole time.',
      ],
    },
    close: [
      'Hi {first}, the post-incident review is attached. Service credits for the downtime have been applied to your next invoice. Closing this ticket.',
      'Hello {first}, the root cause was a failed database failover; we have added monitoring to catch it earlier. Marking as solved.',
    ],
    priority: { neutral: P_HIGH, negative: P_URGENT },
  },

  performance: {
    category: 'performance',
    areas: ['dashboards', 'reporting', 'api', 'mobile'],
    topics: [
      {
        areas: ['dashboards'],
        subjects: ['Dashboards very slow to load', 'Slow page loads every morning', 'Dashboard timeouts'],
        open: {
          neutral: [
            'The main dashboard takes around {n} seconds to load for our team since last week. Has anything changed on your side?',
          ],
          negative: [
            'Dashboards take over a minute to load. Our managers have stopped using them and gone back to spreadsheets.',
            'The app is painfully slow every morning. We have reported this before and nothing has changed.',
            'Pages time out constantly. Our users complain to me daily and I have no answer for them.',
          ],
        },
        agent: [
          'Hi {first}, thanks for the report. We see elevated query times for your workspace and engineering is tuning the indexes behind your dashboards.',
          'Hello {first}, could you send a HAR file from the browser while the page loads? That will show us where the time goes.',
        ],
        close: [
          'Hi {first}, the index change went live overnight and your dashboards load in under two seconds on our side. Closing this; tell us if it regresses.',
        ],
      },
      {
        areas: ['reporting', 'api', 'mobile'],
        subjects: ['{report} takes minutes to run', 'Timeouts on large exports', 'Slow API responses'],
        open: {
          neutral: [
            '{report} now takes several minutes to run where it used to take seconds. Can you check?',
          ],
          negative: [
            'I waited {minutes} minutes for {report} to load this morning and then it timed out.',
            'Everything in the {area} is slow since the last release. This is hurting our daily work.',
          ],
        },
        agent: [
          'Hi {first}, we have moved your workspace to a less busy cluster; you should see faster responses from tomorrow.',
          'Hello {first}, we found a slow query behind {report} and are rolling out an optimisation this week.',
        ],
        close: ['Hello {first}, performance is back to normal after the change. Marking this solved.'],
      },
    ],
    follow: {
      neutral: [
        'HAR file attached. It is mostly the widget queries.',
        'Thanks, we will check tomorrow morning.',
      ],
      negative: [
        'No improvement today. Same load times as before.',
        'It is still slow. We need this fixed, not investigated.',
      ],
    },
    close: ['Hi {first}, response times for your workspace are back to normal. Closing this ticket.'],
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },

  billing: {
    category: 'billing',
    areas: ['billing'],
    topics: [
      {
        areas: ['billing'],
        subjects: [
          'Invoice {invoice} looks wrong',
          'Charged for {seats} seats we do not use',
          'Dispute: invoice {invoice}',
        ],
        open: {
          neutral: [
            'Invoice {invoice} lists {seats} seats but we only have {n} active users. Could you check the seat count?',
          ],
          negative: [
            'We are being billed for {seats} seats we never agreed to. I have raised this twice. Please correct the invoice before we pay anything else.',
            'We dispute invoice {invoice}. Until it is corrected we are putting all payments on hold.',
          ],
        },
        agent: [
          'Hi {first}, thanks for flagging this. I have asked our billing team to review the seat count on invoice {invoice}; they will reply within two business days.',
        ],
        close: [
          'Hi {first}, a corrected invoice and a credit note for {amount} have been issued. Closing this ticket.',
        ],
      },
      {
        areas: ['billing'],
        subjects: ['Double charge on our card', 'Refund request'],
        open: {
          neutral: ['We were charged twice this month ({amount}). Could you refund the duplicate?'],
          negative: [
            'You charged our card twice and nobody has responded in a week. We expect a refund immediately.',
          ],
        },
        agent: [
          'Hello {first}, I can see the duplicate charge and have requested a refund. It should appear within 5-7 business days.',
        ],
        close: [
          'Hello {first}, the refund has been processed. Apologies for the trouble. Marking as solved.',
        ],
      },
      {
        areas: ['billing'],
        subjects: ['Question about our renewal quote', 'Renewal price increase'],
        open: {
          neutral: [
            'Could you send a copy of our renewal quote and explain the line items? Our procurement team is reviewing it.',
          ],
          negative: [
            'The renewal quote is {pct}% higher than last year with no explanation. We cannot approve this.',
          ],
        },
        agent: [
          'Hi {first}, I have passed your questions on the renewal quote to your account executive, who will walk you through the line items.',
        ],
        close: ['Hi {first}, your account executive has sent the revised quote. Closing this ticket.'],
      },
    ],
    follow: {
      neutral: ['Thank you. Please send the corrected documents to our accounts payable address.'],
      negative: [
        'Two business days have passed and we have heard nothing.',
        'This is not the first billing error this year. We need someone to own this.',
      ],
    },
    close: ['Hi {first}, this has been resolved by our billing team. Closing this ticket.'],
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },

  feature_request: {
    category: 'feature_request',
    areas: ['reporting', 'dashboards', 'workflows', 'api', 'mobile', 'permissions'],
    topics: [
      {
        areas: ['reporting', 'dashboards'],
        subjects: ['Feature request: custom fields in {report}', 'Custom fields in dashboards'],
        open: {
          neutral: ['We would love to have custom fields in {report}. Is this on the roadmap?'],
          negative: [
            'We were told custom fields would ship last quarter. They still have not, and we made commitments internally based on that.',
          ],
        },
        agent: [
          'Hi {first}, thanks for the suggestion. I have logged it with the product team and linked your workspace so you are notified when it ships.',
        ],
      },
      {
        areas: ['permissions', 'api'],
        subjects: ['Need audit log export', 'Audit log export for compliance'],
        open: {
          neutral: [
            'Our compliance team needs an export of the audit log. Is that possible today or planned?',
          ],
          negative: [
            'Without audit log export we fail our compliance review. If this is not planned we will have to look elsewhere.',
          ],
        },
        agent: [
          'Hello {first}, this is on the roadmap but I do not have a firm date. Your account manager can set up a roadmap briefing if that helps.',
        ],
      },
      {
        areas: ['mobile'],
        subjects: ['Request: offline mode on mobile', 'Offline support in the mobile app'],
        open: {
          neutral: [
            'Do you plan to support offline mode in the mobile app? Our field teams often lose signal.',
          ],
          negative: [
            'Our field team keeps asking for offline mode. Other tools in this space already have it.',
          ],
        },
        agent: [
          'Hi {first}, thanks. I have added your use case to the request; the product team reviews these every month.',
        ],
      },
    ],
    follow: {
      neutral: ['Thanks, a roadmap briefing would be helpful.'],
      negative: ['We need a date, not a vote. Please escalate to your product team.'],
    },
    close: [
      'Hi {first}, I have shared your request with product and set up the briefing. Closing this ticket; the request stays open on the roadmap board.',
    ],
    priority: { neutral: P_LOW, negative: P_NORMAL },
  },

  praise: {
    category: 'feedback',
    areas: ['dashboards', 'reporting', 'workflows'],
    topics: [
      {
        areas: [],
        subjects: ['Thank you for the quick fix', 'Great work on the new {area}', 'Kudos to {agent}'],
        open: {
          neutral: [
            'Just wanted to say thank you to {agent} for the fast turnaround last week. The team is really happy.',
            'The new {area} layout is excellent. Our regional leads love it. Great work!',
            'Thanks for the help with the setup, it saves us hours every week.',
          ],
          negative: ['Thanks for finally fixing this, though it took longer than we hoped.'],
        },
        agent: [
          'Thank you {first}, that is great to hear! I have passed your note on to the team.',
          'Hi {first}, thanks so much for the kind words.',
        ],
      },
    ],
    follow: { neutral: ['Will do, thanks again!'], negative: ['Noted.'] },
    close: ['Closing this one with a smile. Have a great week, {first}!'],
    priority: { neutral: P_LOW, negative: P_LOW },
  },

  competitor: {
    category: 'account_management',
    areas: ['dashboards', 'reporting', 'integrations', 'billing'],
    topics: [
      {
        areas: [],
        subjects: [
          'Concerns about our renewal',
          'We are reviewing our options',
          'Need answers before our vendor review',
        ],
        open: {
          neutral: [
            'As part of our annual vendor review we are comparing a few platforms, including {competitor}. Could you send an overview of what is new this year?',
          ],
          negative: [
            'Frankly we are frustrated. The problems with {area} have gone on for weeks and we are now evaluating alternatives, including a trial of {competitor}.',
            'Our leadership has asked us to run a pilot with {competitor} before the renewal. The recurring problems with {area} are the main reason.',
            'We have been offered a much better price by {competitor} and, given the support experience lately, we are seriously considering it.',
            'I need to be honest: the team has started a trial of {competitor}. Unless the {area} problems are solved this month, we will not renew.',
          ],
        },
        agent: [
          'Hi {first}, thank you for telling us directly. I have shared this with your account team, who will reach out today to set up a call.',
          'Hello {first}, I am sorry to hear this. I have escalated the open {area} issues and asked your CSM to contact you about next steps.',
        ],
      },
    ],
    follow: {
      neutral: ['Thanks, a call next week would work.'],
      negative: ['We will take the call, but we need concrete commitments, not promises.'],
    },
    close: [
      'Hi {first}, your CSM has scheduled the call for {weekday}. Closing this ticket so the conversation can continue there.',
    ],
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },

  cancellation: {
    category: 'cancellation',
    areas: ['billing'],
    topics: [
      {
        areas: ['billing'],
        subjects: ['Cancel our subscription', 'Notice of non-renewal', 'How do we cancel?'],
        open: {
          neutral: ['Please let us know the process for not renewing our contract at the end of the term.'],
          negative: [
            'Please cancel our subscription at the end of the current term. We no longer see the value.',
            'This is our formal notice that we will not renew. Please confirm in writing.',
            'Please cancel, the app keeps crashing.',
            'We want to cancel. Who do we talk to?',
          ],
        },
        agent: [
          'Hi {first}, I am sorry to hear that. I have forwarded your request to your account team, who will confirm the details of your term and next steps.',
          'Hello {first}, thank you for letting us know. Before we process this, would you be open to a short call with your CSM?',
        ],
      },
    ],
    follow: {
      neutral: ['Fine, a call is OK, but our decision is mostly made.'],
      negative: ['No call needed. Please just confirm the cancellation.'],
    },
    close: ['Hi {first}, your account team has confirmed the end of term in writing. Closing this ticket.'],
    priority: { neutral: P_HIGH, negative: P_URGENT },
  },

  data_export: {
    category: 'defect',
    areas: ['data_export'],
    topics: [
      {
        areas: ['data_export'],
        subjects: [
          'CSV export missing rows',
          'Export file is empty',
          'Export job stuck in processing',
          'Dates wrong in exported data',
        ],
        open: {
          neutral: [
            'The CSV export of {report} only contains {n}0 rows but the screen shows more. Is there a limit?',
            'Exported dates are shifted by one day compared with the app. Probably a timezone setting?',
          ],
          negative: [
            'Exports have been broken for {days} days. The file downloads empty every time and our finance team cannot close the month.',
            'The export drops rows without any warning. We sent wrong numbers to our auditors because of this.',
            'Our scheduled export job has been stuck in "processing" since {weekday}. We need the data today.',
          ],
        },
        agent: [
          'Hi {first}, thank you. We found a bug in the export pagination that drops rows after the first page; a fix is in testing.',
          'Hello {first}, I have restarted the stuck job and asked engineering to look at why it stalled.',
        ],
      },
    ],
    follow: DEFECT_FOLLOW,
    close: DEFECT_CLOSE,
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },

  sso_access: {
    category: 'access',
    areas: ['sso'],
    topics: [
      {
        areas: ['sso'],
        subjects: ['Users locked out after SSO change', 'SAML login loop', 'Cannot log in with SSO'],
        open: {
          neutral: [
            'After we rotated our SAML certificate some users get a login loop. Could you check the configuration on your side?',
          ],
          negative: [
            'Half our team has been locked out since this morning after the SSO change. We need this fixed immediately.',
            'Users are stuck in a login loop for the third day. Work has stopped for {n} people.',
          ],
        },
        agent: [
          'Hi {first}, the SAML responses are failing signature validation. Please upload the new certificate under Settings > SSO and I will verify right after.',
        ],
        close: ['Hi {first}, logins are succeeding for all users now. Closing this ticket.'],
      },
      {
        areas: ['sso'],
        subjects: ['New users not provisioned', 'SSO provisioning not working'],
        open: {
          neutral: [
            'New users added to our identity provider group are not provisioned in the app. Any idea why?',
          ],
          negative: [
            'We followed your SSO guide exactly and nobody new can log in. This is blocking our rollout.',
          ],
        },
        agent: [
          'Hi {first}, provisioning needs the group mapped in the app as well. I have sent the steps; happy to join a call.',
        ],
        close: ['Hi {first}, the new users are provisioned and can log in. Closing this ticket.'],
      },
    ],
    follow: {
      neutral: ['Done on our side. Can you verify?', 'Thanks, that fixed it.'],
      negative: ['Done an hour ago. Still locked out.', 'Still not working. People cannot work.'],
    },
    close: ['Hi {first}, access is working again for everyone. Closing this ticket.'],
    priority: { neutral: P_NORMAL, negative: P_URGENT },
  },

  integration_general: {
    category: 'question',
    areas: ['integrations', 'api'],
    topics: [
      {
        areas: ['integrations'],
        subjects: ['OAuth token for {system} expires daily', '{system} connection keeps dropping'],
        open: {
          neutral: [
            'The OAuth token for our {system} integration expires daily. Is there a longer-lived option?',
          ],
          negative: [
            'The integration with {system} breaks every few days and we have to reconnect it by hand.',
          ],
        },
        agent: [
          'Hello {first}, switch the connection to a service account in Integrations > Settings; those tokens refresh automatically.',
        ],
      },
      {
        areas: ['api'],
        subjects: ['Webhook deliveries failing', 'API rate limit errors during nightly batch'],
        open: {
          neutral: [
            'Our webhook endpoint is getting 429 errors from your side during nightly batches. Can the limit be raised?',
          ],
          negative: [
            'Webhook deliveries have failed all week and we only found out from our own users. There was no alert from your side.',
          ],
        },
        agent: [
          'Hi {first}, I have raised the rate limit for your workspace between 00:00 and 04:00 UTC. Let me know if the 429s continue.',
        ],
      },
    ],
    follow: {
      neutral: ['Thanks, that helped. The nightly batch ran cleanly.'],
      negative: ['It failed again last night. Please look at the logs.'],
    },
    close: ['Hi {first}, glad it is running smoothly now. Closing this ticket.'],
    priority: { neutral: P_LOW, negative: P_NORMAL },
  },

  integration_sync: {
    category: 'defect',
    areas: ['integrations'],
    topics: [
      {
        areas: ['integrations'],
        subjects: [
          'Sync connector creating duplicate records',
          'Duplicate records after connector {version} update',
          '{system} sync creating duplicates every night',
        ],
        open: {
          neutral: [
            'Since the connector update to {version} the nightly sync with {system} creates duplicate records. We counted about {count} duplicates so far.',
          ],
          negative: [
            'Since the {version} connector update, the sync with {system} duplicates records every night. We now have {count} duplicates and our sales team cannot trust the data.',
            'Sync has been broken for {days} days after the {version} update. Our team is cleaning duplicates by hand every morning.',
          ],
        },
        agent: [
          'Hi {first}, thank you for the report. We are tracking an issue with the {version} connector where records are matched on the wrong key. Engineering is working on a fix; I have added your workspace to it.',
          'Hi {first}, we have reproduced the duplicate creation after the {version} update and linked your case to the engineering ticket.',
        ],
      },
      {
        areas: ['integrations'],
        subjects: [
          'Connector sync failing since update',
          '{system} sync stopped after the latest update',
          'Records overwritten by the sync connector',
        ],
        open: {
          neutral: [
            'The {system} sync has failed every night since the {version} update with "conflict on external key". Can you check?',
          ],
          negative: [
            'The sync connector has been failing since your last update. We have rolled back everything we can on our side. This is blocking our operations.',
            'Your connector update overwrote {count} records in {system} with stale values. We are restoring from backup. How did this ship?',
          ],
        },
        agent: [
          'Hello {first}, I am sorry for the trouble. As a workaround you can pause the scheduled sync under Integrations > {system} until the patch is out. I will update you as soon as it ships.',
        ],
      },
    ],
    follow: {
      neutral: ['Thanks. Is there a script to merge the duplicates that were already created?'],
      negative: [
        'Pausing the sync is not a workaround, it is the main reason we bought this. When will it be fixed?',
        'We were promised a patch last week. The duplicates keep coming.',
        'Our CFO is asking why the numbers in {system} are wrong. We need a date.',
      ],
    },
    close: [
      'Hi {first}, connector {version}.1 is out with the fix and we ran the duplicate cleanup for your workspace. Please confirm the sync looks right on your side. Closing in three days if we do not hear back.',
      'Hello {first}, the patched connector is live and your nightly sync completed without duplicates. Marking this as solved.',
    ],
    priority: { neutral: P_HIGH, negative: P_URGENT },
  },

  onboarding: {
    category: 'question',
    areas: ['workflows', 'dashboards', 'permissions'],
    topics: [
      {
        areas: [],
        subjects: ['Training for new admins', 'Help getting started with {area}', 'Rollout support'],
        open: {
          neutral: [
            'We are rolling out to {n} more users next month. Do you offer admin training sessions?',
            'Our rollout feels slow. Could someone help us get more teams using {area}?',
          ],
          negative: [
            'We are three months in and only a handful of people use the platform. Nobody showed us how to set it up for our process.',
            'Our rollout is stuck. The onboarding sessions ended before we had anything working.',
          ],
        },
        agent: [
          'Hi {first}, absolutely. I have asked your CSM to schedule an admin workshop; meanwhile the academy has a self-paced admin course.',
        ],
        close: [
          'Hi {first}, the workshop is booked for {weekday}. Closing this ticket; your CSM will follow up.',
        ],
      },
      {
        areas: ['workflows'],
        subjects: ['Importing historical data', 'Import tool rejects our file'],
        open: {
          neutral: ['What is the best way to import two years of historical data?'],
          negative: [
            'We still have not imported our historical data. The import tool keeps rejecting the file and we have no guidance.',
          ],
        },
        agent: [
          'Hello {first}, for historical data the bulk import template works best. I have attached it with an example file.',
        ],
        close: ['Hi {first}, the import completed: {count} records loaded. Closing this ticket.'],
      },
    ],
    follow: {
      neutral: ['Great, thank you. That is what we needed.'],
      negative: ['We need hands-on help, not another course link.'],
    },
    close: ['Hi {first}, glad we got you going. Closing this ticket; your CSM will follow up.'],
    priority: { neutral: P_LOW, negative: P_NORMAL },
  },

  on_hold: {
    category: 'support_experience',
    areas: ['billing', 'sso', 'dashboards'],
    topics: [
      {
        areas: [],
        subjects: ['No answer on the phone line', 'Still waiting for a reply', 'Nobody called back'],
        open: {
          neutral: [
            'I tried calling support this morning; could someone call me back about our open ticket?',
          ],
          negative: [
            'I was on hold for {minutes} minutes and nobody answered.',
            'On hold for {minutes} minutes and nobody answered. Then the call dropped.',
            'I have sent three emails about this since {weekday} and received no reply.',
            'Nobody has called back. It has been {days} days.',
          ],
        },
        agent: [
          'Hi {first}, I am sorry about the wait. Our phone queue was overloaded this morning. I am taking your case personally; what is the best number to reach you?',
          'Hello {first}, apologies for the delay. I have picked this up and will call you within the hour.',
        ],
      },
    ],
    follow: { neutral: ['Thanks, my direct line is in my signature.'], negative: ['Still waiting.'] },
    close: ['Hi {first}, as discussed on the phone, your original issue is resolved. Closing this ticket.'],
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },

  mobile_crash: {
    category: 'defect',
    areas: ['mobile'],
    topics: [
      {
        areas: ['mobile'],
        subjects: [
          'Mobile app crashes on launch',
          'App crashes when opening {report}',
          'Mobile login not working',
        ],
        open: {
          neutral: [
            'The mobile app crashes when opening {report} on {device}. Version details below.',
            'A few of our field users cannot log in on the mobile app since the last update.',
          ],
          negative: [
            'Please cancel, the app keeps crashing.',
            'The mobile app crashes every time our field team opens it. They have stopped logging visits.',
            'Our reps cannot use the app on {device} at all since the update. This is their main tool.',
          ],
        },
        agent: [
          'Hi {first}, thanks. We identified a crash on {device} in the latest build; a fix is in review with the app stores.',
          'Hello {first}, could you ask one of the users to send the crash report from Settings > Help? That will speed up the fix.',
        ],
      },
    ],
    follow: {
      neutral: ['Crash report sent from one of our reps.'],
      negative: ['Still crashing with the latest version.'],
    },
    close: [
      'Hi {first}, the fixed build is live in both app stores. Closing this ticket; please ask users to update.',
    ],
    priority: { neutral: P_NORMAL, negative: P_HIGH },
  },
};
