import type { control } from '@gpsim/contracts';

export interface NetworkProfile {
  /** The guide's link bandwidth, bits per second. */
  bitsPerSecond: number;
  /** The guide's round-trip latency, ms: paid once before the request reaches the server. */
  latencyMs: number;
  /**
   * Calibrated: what the guide's measured retrieval includes beyond one round trip and the transfer
   * (connection and TLS set-up, radio wake-up, SystmOne's own server time). gpsim's handler time
   * counts inside it rather than on top, so the calibration does not depend on the host's speed.
   */
  setupMs: number;
  /** The guide's measured SystmOne "Patient Retrieval" time over this link, seconds. */
  patientRetrievalS: number;
}

/**
 * Calibrated: the bytes on the wire per byte of gpsim's XML body. The SystmOne client's transfer is
 * compressed; with the nominal bandwidths the slow links' retrieval times only fit a body about a
 * third of the XML's size (BGAN and GPRS leave under 1.0 s and 1.95 s for the transfer).
 */
export const WIRE_BYTES_PER_BODY_BYTE = 0.35;

/**
 * The Internet SystmOne guide's network table (seeds/internet-systmone-guide.txt, "Bandwidth",
 * "Latency" and "Patient Retrieval" rows): 1 GbE 1 Gbps/8 ms, Wi-Fi 16 Mbps/10 ms, 3G 2.8 Mbps/265 ms,
 * BGAN 250 Kbps/867 ms, GPRS 114 Kbps/652 ms; retrieval 0.07/0.14/0.58/1.86/2.60 s.
 *
 * Model of one request: latencyMs before the handler; the reply starts no sooner than setupMs after
 * the handler starts; the body is paced at bitsPerSecond for body × WIRE_BYTES_PER_BODY_BYTE bytes.
 * setupMs = retrieval − latency − transfer of the `standard` archetype's GetPatientRecord reply over
 * HTTP (68,560 bytes → 191,968 wire bits), so that read takes the guide's time (1 GbE keeps 4 ms
 * back for loopback HTTP and serialisation, which the bench measured there); `npm run
 * bench:network` measures every profile against the guide, and test/integration/network-profiles.test.ts
 * holds the model to ±15% and checks the fast profiles never deliver sooner.
 */
export const networkProfiles: Record<(typeof control.networkProfiles)[number], NetworkProfile> = {
  'lan-1gbe': { bitsPerSecond: 1_000_000_000, latencyMs: 8, setupMs: 58, patientRetrievalS: 0.07 },
  wifi: { bitsPerSecond: 16_000_000, latencyMs: 10, setupMs: 118, patientRetrievalS: 0.14 },
  '3g': { bitsPerSecond: 2_800_000, latencyMs: 265, setupMs: 246, patientRetrievalS: 0.58 },
  bgan: { bitsPerSecond: 250_000, latencyMs: 867, setupMs: 225, patientRetrievalS: 1.86 },
  gprs: { bitsPerSecond: 114_000, latencyMs: 652, setupMs: 264, patientRetrievalS: 2.6 },
};
