import { MailboxDirectory } from '@gpsim/simulator/domain/mesh/mailbox-directory';
import { defaultPopulation } from '../../../support/population';

describe('MESH mailbox directory', () => {
  it('is deterministic from the seed and changes with it', () => {
    const a = new MailboxDirectory(defaultPopulation({ patientsPerPractice: 20 }).estate);
    const b = new MailboxDirectory(defaultPopulation({ patientsPerPractice: 20 }).estate);
    const other = new MailboxDirectory(defaultPopulation({ patientsPerPractice: 20, seed: 'other' }).estate);
    expect(b.mailboxes).toEqual(a.mailboxes);
    expect(b.sharedSecret).toBe(a.sharedSecret);
    expect(other.sharedSecret).not.toBe(a.sharedSecret);
  });

  it('gives every practice a mailbox and finds mailboxes case-insensitively', () => {
    const population = defaultPopulation({ patientsPerPractice: 20 });
    const directory = new MailboxDirectory(population.estate);
    for (const practice of population.practices) {
      const mailbox = directory.ofPractice(practice.ods);
      expect(mailbox?.ods).toBe(practice.ods);
      expect(directory.get(mailbox?.id.toLowerCase() as string)).toBe(mailbox);
    }
    expect(directory.mailboxes.some((mailbox) => mailbox.partner === 'gpsim-demo')).toBe(true);
  });
});
