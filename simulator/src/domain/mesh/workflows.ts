/**
 * MESH workflow ids the estate knows. GP Connect Send Document uses GPFED_CONSULT_REPORT with acks on
 * GPFED_CONSULT_REPORT_ACK (GP Connect Messaging integration_mesh.md); Update Record's workflow id is
 * GPCONNECT_UPDATE_RECORD (domain.md §1.10). GPSIM_TEST lets partners exchange arbitrary files.
 */
export const SEND_DOCUMENT_WORKFLOW = 'GPFED_CONSULT_REPORT';
export const SEND_DOCUMENT_ACK_WORKFLOW = 'GPFED_CONSULT_REPORT_ACK';
export const UPDATE_RECORD_WORKFLOW = 'GPCONNECT_UPDATE_RECORD';
export const UPDATE_RECORD_ACK_WORKFLOW = 'GPCONNECT_UPDATE_RECORD_ACK';
export const TEST_WORKFLOW = 'GPSIM_TEST';

/** Workflows that land in practice workflow as a task, and the workflow their acks travel on. */
export const practiceWorkflows: Readonly<Record<string, string>> = {
  [SEND_DOCUMENT_WORKFLOW]: SEND_DOCUMENT_ACK_WORKFLOW,
  [UPDATE_RECORD_WORKFLOW]: UPDATE_RECORD_ACK_WORKFLOW,
};
