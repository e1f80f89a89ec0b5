import type { SimClock } from '../clock';
import type { RecordDocument } from '../clinical-record';
import type { Task } from '../tasks';
import type { TaskService } from '../task-service';
import type { Population } from '../../population/population';
import type { MeshRepository, RecordRepository } from '../../store/store';
import type { ItkResponseCode } from './itk3';
import { buildItkResponse, readItkMessage } from './itk3';
import type { Mailbox, MailboxDirectory } from './mailbox-directory';
import type { MessageContent } from './message-content';
import type { MeshMessage, SentAck } from './mesh-message';
import { newMessageId } from './message-id';
import { INBOX_RETENTION_MS } from './retention';
import { SEND_DOCUMENT_WORKFLOW, practiceWorkflows } from './workflows';

/** The most an ITK3 message taken into practice workflow may be; larger ones are unreadable to the practice. */
const MAX_ITK_BYTES = 20 * 1024 * 1024;

export interface PracticeIntakeDeps {
  directory: () => MailboxDirectory;
  population: () => Population;
  repository: MeshRepository;
  content: MessageContent;
  clock: SimClock;
  tasks: TaskService;
  records: RecordRepository;
}

/**
 * The receiving practice's side of GP Connect Send Document and Update Record: the GP system
 * collects the ITK3 message, makes a workflow task, and sends the ITK3 acks back over MESH as
 * staff deal with the item (domain.md §1.10, §2.5).
 */
export class PracticeIntake {
  private readonly directory: () => MailboxDirectory;
  private readonly population: () => Population;
  private readonly repository: MeshRepository;
  private readonly content: MessageContent;
  private readonly clock: SimClock;
  private readonly tasks: TaskService;
  private readonly records: RecordRepository;

  constructor(deps: PracticeIntakeDeps) {
    this.directory = deps.directory;
    this.population = deps.population;
    this.repository = deps.repository;
    this.content = deps.content;
    this.clock = deps.clock;
    this.tasks = deps.tasks;
    this.records = deps.records;
    deps.tasks.onChange((task, action) => this.onTaskChange(task, action));
  }

  /**
   * The practice's GP system collects a Send Document / Update Record message and puts it in the
   * practice workflow as a task titled with the MESH subject (GPCM-SD-092). One task per sender
   * reference (mex-localid, else the message id), so a resent message never makes a second task.
   */
  async receive(message: MeshMessage): Promise<void> {
    const practiceMailbox = this.directory().get(message.recipient);
    if (!practiceMailbox?.ods) return;
    message.status = 'acknowledged';
    message.acknowledgedAt = this.clock.nowDate().toISOString();
    const content = await this.content.whole(message, MAX_ITK_BYTES);
    const itk = content ? readItkMessage(content) : undefined;
    if (!itk) {
      await this.repository.update(message);
      await this.sendAck(practiceMailbox, message, 'unknown', '10009');
      return;
    }
    const isDocument = message.workflowId === SEND_DOCUMENT_WORKFLOW;
    const { task, created } = await this.tasks.create({
      ods: practiceMailbox.ods,
      type: isDocument ? 'document' : 'update-record',
      title:
        message.subject ??
        (isDocument ? `Document from ${message.sender}` : `Consultation summary from ${message.sender}`),
      ...(itk.nhsNumber ? { nhsNumber: itk.nhsNumber } : {}),
      source: { surface: 'mesh', sender: message.sender, reference: message.localId ?? message.id },
      links: [message.id],
    });
    if (created) {
      message.itk = {
        messageHeaderId: itk.messageHeaderId,
        businessAckRequested: itk.businessAckRequested,
        infrastructureAckRequested: itk.infrastructureAckRequested,
        taskId: task.id,
      };
    }
    await this.repository.update(message);
    if (created && itk.infrastructureAckRequested)
      await this.recordAck(message, await this.sendAck(practiceMailbox, message, itk.messageHeaderId, '20013'));
  }

  /** The ITK3 acks sent back to the sender of the message behind a workflow item. */
  async acksFor(task: Task): Promise<SentAck[]> {
    if (task.source.surface !== 'mesh') return [];
    const messageId = task.links[0];
    const message = messageId ? await this.repository.get(messageId) : undefined;
    return message?.itk?.taskId === task.id ? (message.itk.acks ?? []) : [];
  }

  /**
   * Business acks when staff finish with the item: 30001 when filed or completed; 30002 or 30003
   * when rejected. Update Record rejections are not reported to the sender (NHS England Update
   * Record FAQs: "rejected messages are not filed and the sender is not notified").
   */
  private async onTaskChange(task: Task, action: string): Promise<void> {
    if (task.source.surface !== 'mesh' || (action !== 'completed' && action !== 'rejected')) return;
    const messageId = task.links[0];
    const message = messageId ? await this.repository.get(messageId) : undefined;
    if (!message?.itk || message.itk.taskId !== task.id) return;
    if (action === 'completed') await this.fileToRecord(task, message);
    if (!message.itk.businessAckRequested) return;
    if (action === 'rejected' && message.workflowId !== SEND_DOCUMENT_WORKFLOW) return;
    const practiceMailbox = this.directory().get(message.recipient);
    if (!practiceMailbox) return;
    const code: ItkResponseCode =
      action === 'completed' ? '30001' : task.reason?.startsWith('30003') ? '30003' : '30002';
    await this.recordAck(message, await this.sendAck(practiceMailbox, message, message.itk.messageHeaderId, code));
  }

  private async recordAck(message: MeshMessage, ack: SentAck | undefined): Promise<void> {
    if (!ack || !message.itk) return;
    message.itk.acks = [...(message.itk.acks ?? []), ack];
    await this.repository.update(message);
  }

  /**
   * A Send Document is "For Action": completing it attaches the document to the patient's record
   * (GPCM RecipientType FA), where every face that shows documents then lists it.
   */
  private async fileToRecord(task: Task, message: MeshMessage): Promise<void> {
    if (message.workflowId !== SEND_DOCUMENT_WORKFLOW || !task.nhsNumber) return;
    const population = this.population();
    const patient = population.byNhsNumber(task.nhsNumber)?.patient;
    if (!patient || population.practiceOf(patient).ods !== task.ods) return;
    const sender = this.directory().get(message.sender);
    const now = this.clock.nowDate().toISOString();
    const written = (await this.records.entries(patient.ordinal)).length;
    const document: RecordDocument = {
      kind: 'document',
      id: population.estate.ids.encode('write', patient.ordinal, written),
      date: now.slice(0, 10),
      recorded: now,
      recorderIndex: patient.usualGpIndex,
      type: { code: '371531000', display: 'Report of clinical encounter' },
      title: 'Consultation report',
      description: task.title,
      contentType: message.contentType ?? 'application/fhir+json',
      sizeBytes: message.size,
      // Partner mailboxes sit under X26, the test organisation MESH's own sandbox mailboxes use.
      author: { ods: sender?.ods ?? 'X26', name: sender?.partner ?? message.sender },
      indexed: now,
      writtenBy: { partner: message.sender, surface: 'mesh', at: now },
    };
    await this.records.append(patient.ordinal, document);
  }

  private async sendAck(
    from: Mailbox,
    original: MeshMessage,
    acknowledges: string,
    code: ItkResponseCode,
  ): Promise<SentAck | undefined> {
    const workflowId = practiceWorkflows[original.workflowId];
    const recipient = this.directory().get(original.sender);
    if (!workflowId || !recipient?.workflows.receive.includes(workflowId)) return undefined;
    const now = this.clock.nowDate();
    const body = Buffer.from(buildItkResponse({ acknowledges, code, senderMailbox: from.id, now }), 'utf8');
    const ack: MeshMessage = {
      id: newMessageId(now),
      sender: from.id,
      recipient: recipient.id,
      to: recipient.id,
      workflowId,
      messageType: 'DATA',
      status: 'accepted',
      totalChunks: 1,
      size: body.length,
      subject: `ITK response ${code} for ${acknowledges}`,
      ...(original.localId !== undefined ? { localId: original.localId } : {}),
      linkedMessageId: original.id,
      contentType: 'application/fhir+json',
      createdAt: now.toISOString(),
      acceptedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + INBOX_RETENTION_MS).toISOString(),
    };
    await this.repository.appendPart(ack.id, 1, 0, body);
    await this.repository.insert(ack);
    return { code, messageId: ack.id, sentAt: ack.createdAt };
  }
}
