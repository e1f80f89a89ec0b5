import type { emis } from '@gpsim/contracts';
import type { ClientOptions } from '../transport/client-options.js';
import { splitUrl, transportFor } from '../transport/client-options.js';
import type { ResilientTransport } from '../transport/resilient-transport.js';

/** What a contract schema accepts (input) and produces (output), read without importing zod. */
export type ContractInput<Schema extends { _zod: { input: unknown } }> = Schema['_zod']['input'];
export type ContractOutput<Schema extends { _zod: { output: unknown } }> = Schema['_zod']['output'];

/** A method's fields, without the session the client adds. */
export type MethodFields<Schema extends { _zod: { input: unknown } }> = Omit<
  ContractInput<Schema>,
  'SessionId' | 'OrganisationId'
>;

export type EmisSession = ContractOutput<typeof emis.SessionResult>;
export type MatchedPatient = ContractOutput<typeof emis.MatchedPatient>;
export type MedicalRecord = ContractOutput<typeof emis.MedicalRecord>;
export type FileStatus = ContractOutput<typeof emis.FileStatus>;

export interface EmisClientOptions extends ClientOptions {
  /** The manifest's `endpoints.emis` (…/emis/partner-api). */
  baseUrl: string;
  /** The partner's credentials and the practice (ODS code) the session is for. */
  clientId: string;
  clientSecret: string;
  organisationId: string;
  userName?: string;
}

/**
 * The EMIS partner API (approximate, EMIS Open–style, JSON form): InitializeWithID logon, then one
 * POST per method carrying the SessionId. An expired session is renewed once, transparently. Writes
 * carry an IdempotencyKey reused across retries, so a write retried after a timeout files once.
 * Errors are GpsimApiError with surface "emis" and the EMIS error code.
 */
export class EmisClient {
  private readonly transport: ResilientTransport;
  private readonly root: string;
  private session: Promise<EmisSession> | undefined;

  constructor(private readonly options: EmisClientOptions) {
    const { origin, path } = splitUrl(options.baseUrl);
    this.transport = transportFor([origin], options);
    this.root = path;
  }

  /** Logs on (InitializeWithID); the other methods do so on first use. */
  logon(): Promise<EmisSession> {
    this.session = this.post<EmisSession>('InitializeWithID', {
      ClientId: this.options.clientId,
      ClientSecret: this.options.clientSecret,
      OrganisationId: this.options.organisationId,
      ...(this.options.userName === undefined ? {} : { UserName: this.options.userName }),
    } satisfies emis.InitializeWithId);
    this.session.catch(() => (this.session = undefined));
    return this.session;
  }

  getMatchedPatient(
    query: MethodFields<typeof emis.GetMatchedPatient>,
  ): Promise<{ MatchedPatients: { Patient?: MatchedPatient[] } }> {
    return this.method('GetMatchedPatient', query, false);
  }

  getMedicalRecord(patient: MethodFields<typeof emis.GetMedicalRecord>): Promise<{ MedicalRecord: MedicalRecord }> {
    return this.method('GetMedicalRecord', patient, false);
  }

  fileRecord(record: MethodFields<typeof emis.FileRecord>): Promise<{ FileRecordId: string; FileStatus: string }> {
    return this.method('FileRecord', record, true);
  }

  getFileStatus(fileRecordId: string): Promise<FileStatus> {
    return this.method('GetFileStatus', { FileRecordId: fileRecordId }, false);
  }

  createTask(task: MethodFields<typeof emis.CreateTask>): Promise<{ TaskId: string }> {
    return this.method('CreateTask', task, true);
  }

  getAppointmentSessions(range: MethodFields<typeof emis.GetAppointmentSessions>): Promise<{ Sessions: unknown }> {
    return this.method('GetAppointmentSessions', range, false);
  }

  bookAppointment(
    booking: MethodFields<typeof emis.BookAppointment>,
  ): Promise<{ AppointmentId: string; SlotId: string; Start: string; End: string }> {
    return this.method('BookAppointment', booking, true);
  }

  getDocuments(patient: MethodFields<typeof emis.GetDocuments>): Promise<{ Documents: unknown }> {
    return this.method('GetDocuments', patient, false);
  }

  addDocument(document: MethodFields<typeof emis.AddDocument>): Promise<Record<string, unknown>> {
    return this.method('AddDocument', document, true);
  }

  private async method<T>(name: string, fields: object, write: boolean): Promise<T> {
    const body = write && !('IdempotencyKey' in fields) ? { ...fields, IdempotencyKey: crypto.randomUUID() } : fields;
    const session = await (this.session ?? this.logon());
    try {
      return await this.post<T>(name, { ...body, SessionId: session.SessionId });
    } catch (error) {
      if ((error as { code?: string }).code !== 'SessionExpired') throw error;
      const renewed = await this.logon();
      return this.post<T>(name, { ...body, SessionId: renewed.SessionId });
    }
  }

  private async post<T>(name: string, body: object): Promise<T> {
    const reply = await this.transport.json<{ Outcome: 'Success'; Result: T }>({
      method: 'POST',
      path: `${this.root}/${name}`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      surface: 'emis',
      // Reads and logons are safe to repeat; a write because it always carries an IdempotencyKey.
      idempotent: true,
    });
    return reply.Result;
  }
}
