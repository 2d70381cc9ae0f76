// The kinds of open work the operations view lists (ADR 0015); apart from their guidance so the
// API's query validation does not carry it.
export type OpenWorkKind = 'intent' | 'refund' | 'disbursement';
export const OPEN_WORK_KINDS: readonly OpenWorkKind[] = ['intent', 'refund', 'disbursement'];
