import type { ClientOptions } from '../transport/client-options.js';
import { splitUrl, transportFor } from '../transport/client-options.js';
import { GpsimApiError } from '../transport/errors.js';
import type { ResilientTransport } from '../transport/resilient-transport.js';
import type { XmlValue } from '../shared/xml.js';
import { childAt, parseXml, toXml, toXmlObject } from '../shared/xml.js';
import type { SocketFactory, TcpFraming } from './tcp-fetch.js';
import { tcpFetch } from './tcp-fetch.js';
import type {
  ClientIntegrationReply,
  PatientRecordResult,
  SystmOneFunction,
  SystmOneFunctionParameters,
  SystmOneResults,
} from './wire-types.js';

/** How requests reach SystmOne: the HTTP partner API, or the Client Integration TCP port. */
export type SystmOneCarriage =
  | { kind: 'http'; /** The manifest's `endpoints.systmOne` (…/systmone). */ baseUrl: string; user?: string }
  | { kind: 'tcp'; host: string; port: number; framing?: TcpFraming; sockets?: SocketFactory };

export interface SystmOneClientOptions extends ClientOptions {
  carriage: SystmOneCarriage;
  /** The practice (HTTP carriage; over TCP the connection reaches the desktop's practice). */
  ods: string;
  /** The partner's APIKey and registered DeviceID. */
  apiKey: string;
  deviceId: string;
  deviceVersion?: string;
}

/**
 * SystmOne Client Integration (reference/domain.md §2.2): one typed call per function over TCP or
 * HTTP, a RequestUID per call reused across its retries. Errors are GpsimApiError with surface
 * "systmone" and the SystmOne error code (status 0 over TCP, which has no status).
 */
export class SystmOneClient {
  private readonly transport: ResilientTransport;
  private readonly path: string;

  constructor(private readonly options: SystmOneClientOptions) {
    const carriage = options.carriage;
    if (carriage.kind === 'http') {
      const { origin, path } = splitUrl(carriage.baseUrl);
      this.transport = transportFor([origin], options);
      const query = carriage.user === undefined ? '' : `?user=${encodeURIComponent(carriage.user)}`;
      this.path = `${path}/${encodeURIComponent(options.ods)}/client-integration${query}`;
    } else {
      this.transport = transportFor([`tcp://${carriage.host}:${carriage.port}`], {
        ...options,
        fetch: tcpFetch(carriage.framing ?? 'length-prefixed', carriage.sockets),
      });
      this.path = '/';
    }
  }

  getCurrentSelection(): Promise<ClientIntegrationReply<SystmOneResults['GetCurrentSelection']>> {
    return this.call('GetCurrentSelection', {});
  }

  patientSearch(
    parameters: SystmOneFunctionParameters['PatientSearch'],
  ): Promise<ClientIntegrationReply<SystmOneResults['PatientSearch']>> {
    return this.call('PatientSearch', parameters);
  }

  getPatientRecord(
    nhsNumber: string,
    options: { demographicsOnly?: boolean } = {},
  ): Promise<ClientIntegrationReply<PatientRecordResult>> {
    return this.call('GetPatientRecord', {
      Identity: { NhsNumber: nhsNumber },
      ...(options.demographicsOnly === undefined ? {} : { DemographicsOnly: options.demographicsOnly }),
    });
  }

  updatePatientRecord(
    parameters: SystmOneFunctionParameters['UpdatePatientRecord'],
  ): Promise<ClientIntegrationReply<SystmOneResults['UpdatePatientRecord']>> {
    return this.call('UpdatePatientRecord', parameters);
  }

  launchFunctionality(
    parameters: SystmOneFunctionParameters['LaunchFunctionality'],
  ): Promise<ClientIntegrationReply<SystmOneResults['LaunchFunctionality']>> {
    return this.call('LaunchFunctionality', parameters);
  }

  createTask(
    parameters: SystmOneFunctionParameters['CreateTask'],
  ): Promise<ClientIntegrationReply<SystmOneResults['CreateTask']>> {
    return this.call('CreateTask', parameters);
  }

  getAppointmentSlots(
    parameters: SystmOneFunctionParameters['GetAppointmentSlots'],
  ): Promise<ClientIntegrationReply<SystmOneResults['GetAppointmentSlots']>> {
    return this.call('GetAppointmentSlots', parameters);
  }

  bookAppointment(
    parameters: SystmOneFunctionParameters['BookAppointment'],
  ): Promise<ClientIntegrationReply<SystmOneResults['BookAppointment']>> {
    return this.call('BookAppointment', parameters);
  }

  /** The practice's Tasks, optionally only one Status or one patient's. */
  getTasks(
    parameters: SystmOneFunctionParameters['GetTasks'] = {},
  ): Promise<ClientIntegrationReply<SystmOneResults['GetTasks']>> {
    return this.call('GetTasks', parameters);
  }

  /** One Task with its Reason and Notes, by the TaskUID GetTasks or CreateTask gave. */
  getTask(taskUid: string): Promise<ClientIntegrationReply<SystmOneResults['GetTask']>> {
    return this.call('GetTask', { TaskUID: taskUid });
  }

  /** Any function by name, with its typed parameters; `requestUid` to replay a call deliberately. */
  async call<F extends SystmOneFunction>(
    fn: F,
    parameters: SystmOneFunctionParameters[F],
    options: { requestUid?: string; functionVersion?: string } = {},
  ): Promise<ClientIntegrationReply<SystmOneResults[F]>> {
    const requestUid = options.requestUid ?? crypto.randomUUID().toUpperCase();
    const document = `<?xml version="1.0" encoding="utf-8"?>${toXml('ClientIntegrationRequest', {
      RequestUID: requestUid,
      Function: fn,
      APIKey: this.options.apiKey,
      DeviceID: this.options.deviceId,
      DeviceVersion: this.options.deviceVersion ?? '1.0.0',
      FunctionVersion: options.functionVersion ?? '1.0',
      FunctionParameters: parameters as XmlValue,
    })}`;
    const response = await this.transport.send({
      method: 'POST',
      path: this.path,
      headers: { 'Content-Type': 'application/xml; charset=utf-8', Accept: 'application/xml' },
      body: document,
      surface: 'systmone',
      // The same RequestUID on every attempt: SystmOne answers a repeated write from its first reply.
      idempotent: true,
    });
    const fromTcp = this.options.carriage.kind === 'tcp';
    let reply;
    try {
      reply = parseXml(response.text);
    } catch {
      throw new GpsimApiError({
        surface: 'systmone',
        status: fromTcp ? 0 : response.status,
        code: 'MalformedResponse',
        message: `SystmOne answered ${fn} with a document that is not XML.`,
        body: response.text,
      });
    }
    const error = childAt(reply, 'Error');
    if (error || response.status >= 400) {
      throw new GpsimApiError({
        surface: 'systmone',
        status: fromTcp ? 0 : response.status,
        code: childAt(error, 'Code')?.text ?? String(response.status),
        message: childAt(error, 'Message')?.text ?? `SystmOne refused ${fn}`,
        body: reply,
        traceId: childAt(reply, 'ResponseUID')?.text ?? requestUid,
      });
    }
    const result = childAt(reply, 'Response') ?? reply;
    return {
      requestUid,
      responseUid: childAt(reply, 'ResponseUID')?.text ?? '',
      // The shape is the contract's (the function's *Response schema); it is not validated at run time.
      result: toXmlObject(result) as SystmOneResults[F],
      response: result,
      document: reply,
    };
  }
}
