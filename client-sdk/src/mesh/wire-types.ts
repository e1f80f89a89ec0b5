/**
 * MESH API v2 wire shapes (NHSDigital/mesh-api-specification, specification/mesh-api.yaml), as
 * plain types. The one place to swap for contract-derived types.
 */
export interface SendResult {
  message_id: string;
}

export interface InboxPage {
  messages: string[];
  links?: { self?: string; next?: string };
  approx_inbox_count?: number;
}

export interface AcknowledgeResult {
  message_id: string;
}

export interface TrackingResult {
  message_id: string;
  local_id: string | null;
  workflow_id: string;
  filename: string | null;
  expiry_time: string | null;
  upload_timestamp: string | null;
  recipient: string;
  recipient_ods_code: string | null;
  status_success: boolean;
  status: string;
  status_event: string | null;
  status_timestamp: string;
  status_description: string | null;
  status_code: string | null;
}
