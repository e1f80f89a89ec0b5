import type { control } from '@gpsim/contracts';

export interface NetworkProfile {
  /** Link bandwidth, bits per second. */
  bitsPerSecond: number;
  /** Round-trip latency, ms. */
  latencyMs: number;
  /** The guide's measured SystmOne "Patient Retrieval" time over this link, seconds. */
  patientRetrievalS: number;
}

/**
 * The Internet SystmOne guide's network table (seeds/internet-systmone-guide.txt, "Bandwidth",
 * "Latency" and "Patient Retrieval" rows): 1 GbE 1 Gbps/8 ms, Wi-Fi 16 Mbps/10 ms, 3G 2.8 Mbps/265 ms,
 * BGAN 250 Kbps/867 ms, GPRS 114 Kbps/652 ms. Calibrating against the retrieval times needs the
 * SystmOne GetPatientRecord surface; until then a response costs one round trip plus its bytes at
 * the link's bandwidth.
 */
export const networkProfiles: Record<(typeof control.networkProfiles)[number], NetworkProfile> = {
  'lan-1gbe': { bitsPerSecond: 1_000_000_000, latencyMs: 8, patientRetrievalS: 0.07 },
  wifi: { bitsPerSecond: 16_000_000, latencyMs: 10, patientRetrievalS: 0.14 },
  '3g': { bitsPerSecond: 2_800_000, latencyMs: 265, patientRetrievalS: 0.58 },
  bgan: { bitsPerSecond: 250_000, latencyMs: 867, patientRetrievalS: 1.86 },
  gprs: { bitsPerSecond: 114_000, latencyMs: 652, patientRetrievalS: 2.6 },
};
