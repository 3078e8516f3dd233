/**
 * The strategy library: a typed catalogue of intervention strategies. Ids match the `strategies` JSON array
 * stored on outcomes, so success rates can be computed from the portfolio's own history. Task templates carry
 * day offsets from the plan's start and the role that owns them; people are matched from team_members.
 */
import type { StrategyDefinition } from '../../../shared/brief-types';

export const STRATEGY_LIBRARY: readonly StrategyDefinition[] = [
  {
    id: 'executive_outreach',
    name: 'Executive outreach',
    description:
      'An executive-to-executive conversation to re-establish sponsorship, acknowledge the situation and agree what success looks like before the renewal.',
    addresses: [
      'champion_departure',
      'exec_gap',
      'competitor_mention',
      'renewal_near',
      'nps_detractor',
      'communication',
    ],
    people: [
      { role: 'executive', why: 'Leads the executive conversation and signals commitment' },
      { role: 'account_executive', why: 'Owns the commercial relationship and renewal' },
      { role: 'csm', why: 'Prepares the briefing and owns the follow-up' },
    ],
    resources: ['One-page executive briefing (from this brief)', 'Value summary for the last 12 months'],
    tasks: [
      { title: 'Prepare the executive briefing from this brief', dayOffset: 0, role: 'csm' },
      {
        title: 'Identify the new sponsor or decision maker on the customer side',
        dayOffset: 1,
        role: 'account_executive',
      },
      { title: 'Hold the executive-to-executive call', dayOffset: 3, role: 'executive' },
      { title: 'Send the written summary and agreed next steps', dayOffset: 4, role: 'csm' },
    ],
    talkingPoints: [
      'Acknowledge the recent issues plainly before discussing plans.',
      'Ask who now owns the goals the departed sponsor set, and what success looks like to them.',
      'Offer a named executive contact on our side for the next 90 days.',
    ],
  },
  {
    id: 'technical_review',
    name: 'Technical review',
    description:
      'A structured review of the open and recent support issues with a technical lead: root causes, fixes, workarounds and a dated remediation list the customer can track.',
    addresses: [
      'ticket_surge',
      'negative_sentiment',
      'sentiment_trend',
      'usage_decline',
      'health_drop',
      'competitor_mention',
    ],
    people: [
      { role: 'technical', why: 'Diagnoses the recurring issues and owns the remediation list' },
      { role: 'csm', why: 'Coordinates with the customer and tracks progress' },
    ],
    resources: [
      'Support ticket history for the account',
      'Product engineering contact for the affected area',
    ],
    tasks: [
      {
        title: 'Review every open and recent ticket; group them by root cause',
        dayOffset: 1,
        role: 'technical',
      },
      { title: 'Technical review session with the customer admins', dayOffset: 5, role: 'technical' },
      { title: 'Publish the dated remediation list to the customer', dayOffset: 7, role: 'csm' },
      { title: 'Check remediation progress; close or escalate each item', dayOffset: 21, role: 'technical' },
    ],
    talkingPoints: [
      'Walk through each open ticket and what is being done about it, with dates.',
      'Separate product defects from configuration issues; own the defects.',
      'Agree how progress will be reported (weekly, in writing).',
    ],
  },
  {
    id: 'success_plan_reset',
    name: 'Success plan reset',
    description:
      'Rebuild the joint success plan with the current stakeholders: goals, owners, milestones and the adoption targets that prove value before renewal.',
    addresses: [
      'champion_departure',
      'usage_decline',
      'feature_adoption',
      'health_drop',
      'health_level',
      'renewal_near',
      'communication',
    ],
    people: [
      { role: 'csm', why: 'Leads the reset and owns the plan' },
      { role: 'cs_leader', why: 'Reviews the plan and unblocks internal help' },
    ],
    resources: ['Success plan template', 'Usage and adoption report'],
    tasks: [
      { title: 'Map the current stakeholders and their goals', dayOffset: 2, role: 'csm' },
      { title: 'Success plan workshop with the new stakeholders', dayOffset: 10, role: 'csm' },
      { title: 'Review the reset plan with CS leadership', dayOffset: 12, role: 'cs_leader' },
      { title: 'First milestone check-in', dayOffset: 30, role: 'csm' },
    ],
    talkingPoints: [
      'Confirm the business outcomes the customer bought the product for, and whether they still hold.',
      'Agree two or three measurable adoption milestones before the renewal date.',
    ],
  },
  {
    id: 'training_workshop',
    name: 'Training and enablement workshop',
    description:
      'Hands-on enablement for the teams whose usage fell, focused on the workflows they bought the product for.',
    addresses: ['usage_decline', 'feature_adoption', 'health_drop'],
    people: [
      { role: 'csm', why: 'Organises the workshop and picks the teams' },
      { role: 'technical', why: 'Runs the hands-on session' },
    ],
    resources: ['Workshop materials for the key workflows', 'List of inactive users by team'],
    tasks: [
      { title: 'Identify the teams and users whose usage fell', dayOffset: 2, role: 'csm' },
      { title: 'Run the enablement workshop', dayOffset: 9, role: 'technical' },
      { title: 'Measure usage two weeks after the workshop', dayOffset: 23, role: 'csm' },
    ],
    talkingPoints: ['Offer enablement for new team members who joined after the original onboarding.'],
  },
  {
    id: 'commercial_concession',
    name: 'Commercial concession',
    description:
      'A time-boxed commercial gesture (credit, extended term, or price hold) approved by leadership, used only alongside a fix for the underlying problem.',
    addresses: ['competitor_mention', 'renewal_near', 'nps_detractor'],
    people: [
      { role: 'account_executive', why: 'Prepares and negotiates the offer' },
      { role: 'cs_leader', why: 'Approves the concession' },
    ],
    resources: ['Discount or credit approval'],
    tasks: [
      { title: 'Draft the commercial options and their cost', dayOffset: 3, role: 'account_executive' },
      { title: 'Approve the concession', dayOffset: 5, role: 'cs_leader' },
      {
        title: 'Present the offer together with the remediation plan',
        dayOffset: 8,
        role: 'account_executive',
      },
    ],
    talkingPoints: ['Tie any commercial gesture to the remediation plan, not in place of it.'],
  },
  {
    id: 'roadmap_briefing',
    name: 'Roadmap briefing',
    description:
      'A product-led briefing on the roadmap items that answer the customer’s gaps, to counter a competitive evaluation.',
    addresses: ['competitor_mention', 'nps_detractor'],
    people: [
      { role: 'technical', why: 'Presents the relevant roadmap and workarounds' },
      { role: 'account_executive', why: 'Positions the briefing against the evaluation' },
    ],
    resources: ['Roadmap deck (under NDA)', 'Competitive comparison notes'],
    tasks: [
      { title: 'Collect the gaps the customer raised', dayOffset: 2, role: 'account_executive' },
      { title: 'Roadmap briefing with the customer', dayOffset: 7, role: 'technical' },
    ],
    talkingPoints: ['Ask what the alternative offers that matters to them; answer with dates, not promises.'],
  },
  {
    id: 'dedicated_support',
    name: 'Dedicated support channel',
    description:
      'A named support engineer and a priority channel for a fixed period while the issues are worked down.',
    addresses: ['ticket_surge', 'negative_sentiment', 'sentiment_trend'],
    people: [
      { role: 'technical', why: 'Named support engineer for the period' },
      { role: 'csm', why: 'Runs the weekly status call' },
    ],
    resources: ['Priority support queue for 60 days'],
    tasks: [
      { title: 'Assign the named support engineer and share the channel', dayOffset: 1, role: 'technical' },
      { title: 'Weekly status call on open issues', dayOffset: 7, role: 'csm' },
      { title: 'Review whether the dedicated channel can end', dayOffset: 60, role: 'csm' },
    ],
    talkingPoints: ['Introduce the named engineer and how to reach them.'],
  },
];

export const strategyById = (id: string): StrategyDefinition | undefined =>
  STRATEGY_LIBRARY.find((s) => s.id === id);
