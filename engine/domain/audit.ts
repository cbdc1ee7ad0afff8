/** What an audit row can be about: the audit log, its search API and the Audit screen share this list. */
export const AUDIT_ENTITIES = ['decision', 'user', 'rule', 'alert', 'batch', 'archive', 'demand_influence'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
