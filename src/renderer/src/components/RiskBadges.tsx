/** Priority badge shared by the risk views (no chart code, so pages stay light). */
import type { Priority } from '../../../shared/domain';

export const PRIORITY_LABEL: Record<Priority, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};
export const PRIORITY_COLOR: Record<Priority, string> = {
  critical: '#b91c1c',
  high: '#c2410c',
  medium: '#a16207',
  low: '#4b5563',
};

export const PriorityBadge = ({ priority }: { priority: Priority }) => (
  <span
    className={`badge prio-${priority}`}
    data-testid="priority"
    style={{ background: PRIORITY_COLOR[priority], color: '#fff', fontWeight: 600 }}
  >
    {PRIORITY_LABEL[priority]}
  </span>
);

/** Plain table styling for the risk views (the shared `.table` class is laid out for the virtualized grid). */
export const TABLE_STYLE = {
  width: '100%',
  borderCollapse: 'collapse',
  background: '#fff',
  fontSize: 14,
} as const;
export const TH_STYLE = {
  textAlign: 'left',
  padding: '6px 8px',
  borderBottom: '1px solid #e5e7eb',
  fontWeight: 600,
  whiteSpace: 'nowrap',
} as const;
export const TD_STYLE = {
  padding: '6px 8px',
  borderBottom: '1px solid #f3f4f6',
  verticalAlign: 'top',
} as const;
export const NUM_STYLE = { ...TD_STYLE, textAlign: 'right', whiteSpace: 'nowrap' } as const;
