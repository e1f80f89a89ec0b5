import { SimError } from './errors';

/**
 * Whether the national Spine services (PDS, the SSP, SDS) can be reached. Internet SystmOne
 * practices and Spine outages take them away; steps that depend on them (a PDS trace when
 * registering a patient, a PDS lookup) must then fail the way the real systems do.
 */
export class SpineStatus {
  private unavailableReason: string | undefined;

  get available(): boolean {
    return this.unavailableReason === undefined;
  }

  get reason(): string | undefined {
    return this.unavailableReason;
  }

  markUnavailable(reason: string): void {
    this.unavailableReason = reason;
  }

  markAvailable(): void {
    this.unavailableReason = undefined;
  }

  /** Throws an `unavailable` SimError naming the step that needed the Spine. */
  assertAvailable(step: string): void {
    if (this.unavailableReason !== undefined) {
      throw new SimError('unavailable', `${step} needs the Spine, which is unavailable: ${this.unavailableReason}.`);
    }
  }
}
