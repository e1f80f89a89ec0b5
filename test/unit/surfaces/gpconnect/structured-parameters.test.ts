import { SimError } from '@gpsim/simulator/domain/errors';
import { parseStructuredQuery } from '@gpsim/simulator/surfaces/gpconnect/structured/parameters';

/** getstructuredrecord Parameters (GPC accessrecord_structured_development_retrieve_patient_record.md). */
describe('structured record parameters', () => {
  const today = '2026-11-22';
  const parse = (...parameter: unknown[]) =>
    parseStructuredQuery(
      Buffer.from(
        JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            {
              name: 'patientNHSNumber',
              valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' },
            },
            ...parameter,
          ],
        }),
      ),
      today,
    );

  it('applies the documented defaults (issues included, not-given excluded, status included)', () => {
    const query = parse({ name: 'includeMedication' }, { name: 'includeImmunisations' });
    expect(query.medication).toEqual({ includeIssues: true });
    expect(query.immunisations).toEqual({ includeNotGiven: false, includeStatus: true });
  });

  it('accepts today as medicationSearchFromDate and as diaryEntriesSearchDate', () => {
    const query = parse(
      { name: 'includeMedication', part: [{ name: 'medicationSearchFromDate', valueDate: today }] },
      { name: 'includeDiaryEntries', part: [{ name: 'diaryEntriesSearchDate', valueDate: today }] },
    );
    expect(query.medication?.fromDate).toBe(today);
    expect(query.diary?.onOrBefore).toBe(today);
  });

  it('lists unknown parameters and parts as unrecognised (version compatibility), not as errors', () => {
    const query = parse(
      { name: 'includeMedication', part: [{ name: 'includeFuture', valueBoolean: true }] },
      { name: 'includeX' },
    );
    expect(query.unrecognised).toEqual(['includeMedication.includeFuture', 'includeX']);
  });

  it('refuses tomorrow as medicationSearchFromDate, naming the parameter', () => {
    let thrown: unknown;
    try {
      parse({ name: 'includeMedication', part: [{ name: 'medicationSearchFromDate', valueDate: '2026-11-23' }] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SimError);
    expect((thrown as SimError).field).toBe('medicationSearchFromDate');
  });

  it('refuses more than 64 parameters', () => {
    expect(() => parse(...Array.from({ length: 70 }, (_, index) => ({ name: `p${index}` })))).toThrow(SimError);
  });
});
