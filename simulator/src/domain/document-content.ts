import type { SettingsRepository } from '../store/store';

/**
 * The bytes of documents partners file (computed documents have none: their content is rendered
 * from metadata). Kept in the settings repository, so a reset drops them with the entries.
 */
const contentKey = (documentId: string) => `document-content:${documentId}`;

export async function storeDocumentContent(
  settings: SettingsRepository,
  documentId: string,
  content: Buffer,
): Promise<void> {
  await settings.put(contentKey(documentId), content.toString('base64'));
}

export async function documentContent(settings: SettingsRepository, documentId: string): Promise<Buffer | undefined> {
  const stored = await settings.get<string>(contentKey(documentId));
  return stored === undefined ? undefined : Buffer.from(stored, 'base64');
}
